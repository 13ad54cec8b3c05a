"""Tracks, who performed and wrote them, personnel credits and samples."""

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from catalog.fields import LengthField
from catalog.models.constraints import slug_constraint

from .base import SlugManager, SlugNaturalKeyMixin, choices_constraint, live_q


class TrackQuerySet(models.QuerySet):
    def get_by_natural_key(self, album_slug, disc, position):
        return self.get(album__slug=album_slug, disc=disc, position=position)

    def published(self):
        return self.filter(live_q("album__"))

    def by_artist(self, artist):
        """Tracks the artist is credited on, directly or through a group they belong to."""
        return self.filter(
            Q(track_artists__artist=artist) | Q(track_artists__artist__memberships__member=artist)
        ).distinct()

    def for_listing(self):
        """A track with its album and performers, for lists of tracks outside the album page."""
        return self.select_related("album").prefetch_related(
            models.Prefetch("track_artists", queryset=TrackArtist.objects.select_related("artist"))
        )


class Track(models.Model):
    album = models.ForeignKey("catalog.Album", on_delete=models.CASCADE, related_name="tracks")
    disc = models.PositiveSmallIntegerField(
        default=1, help_text="Disc number (1 for a single CD). An LP's sides belong to its edition."
    )
    position = models.PositiveSmallIntegerField(
        help_text="Order on the disc, from 1. A hidden track takes the position where it plays."
    )
    title = models.CharField(max_length=300)
    alternative_title = models.CharField(
        max_length=300, blank=True, help_text="The title in its original script, e.g. 風をあつめて."
    )
    length = LengthField(null=True, blank=True, help_text="m:ss. Leave empty when no source gives it.")
    is_hidden = models.BooleanField(
        "hidden", default=False, help_text="Not listed on the sleeve (it plays after another track)."
    )
    is_bonus = models.BooleanField(
        "bonus", default=False, help_text="Only on some editions; say which in the note."
    )
    note = models.CharField(
        max_length=300, blank=True, help_text="e.g. 'Japanese edition only', 'from Loveless (1991)'."
    )
    artists = models.ManyToManyField(
        "catalog.Artist", through="TrackArtist", related_name="tracks", blank=True
    )

    objects = TrackQuerySet.as_manager()

    class Meta:
        ordering = ["album", "disc", "position"]
        indexes = [models.Index(fields=["length"])]  # The track list's length range.
        constraints = [
            models.UniqueConstraint(fields=["album", "disc", "position"], name="track_position_unique"),
            models.CheckConstraint(condition=Q(disc__gte=1), name="track_disc_positive"),
            models.CheckConstraint(condition=Q(position__gte=1), name="track_position_positive"),
            models.CheckConstraint(
                condition=Q(length__isnull=True) | Q(length__gt=datetime.timedelta(0)),
                name="track_length_positive",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        album_url = self.album.get_absolute_url()  # empty for an album whose slug no URL can hold
        return f"{album_url}#track-{self.disc}-{self.position}" if album_url else ""

    def natural_key(self):
        return (self.album.slug, self.disc, self.position)

    natural_key.dependencies = ["catalog.album"]

    def clean(self):
        if self.length is not None and self.length <= datetime.timedelta(0):
            raise ValidationError({"length": "A length is more than zero."})
        if self.position is not None and self.position < 1:
            raise ValidationError({"position": "Positions start at 1."})

    @property
    def artist_credit(self):
        """The performers as the sleeve prints them: 'Brian Reitzell & Roger Joseph Manning Jr.'."""
        return "".join(
            f"{credit.credited_as or credit.artist.name}{credit.join_phrase}"
            for credit in self.track_artists.all()
        ).strip()


class TrackArtistQuerySet(models.QuerySet):
    def get_by_natural_key(self, album_slug, disc, position, artist_slug):
        return self.get(
            track__album__slug=album_slug, track__disc=disc, track__position=position, artist__slug=artist_slug
        )

    def crediting(self, artists):
        """Credits of the artists (a queryset) or of the groups they are members of.

        The track-level twin of TrackQuerySet.by_artist, for use in a subquery: no join fans out and
        no DISTINCT is needed.
        """
        from .people import Membership

        groups = Membership.objects.filter(member__in=artists).values("group")
        return self.filter(Q(artist__in=artists) | Q(artist__in=groups))


class TrackArtist(models.Model):
    """A performer credited on a track, in sleeve order, with the words that join the next one."""

    track = models.ForeignKey(Track, on_delete=models.CASCADE, related_name="track_artists")
    artist = models.ForeignKey("catalog.Artist", on_delete=models.PROTECT, related_name="track_credits")
    credited_as = models.CharField(
        max_length=200, blank=True, help_text="The name as printed, when it differs from the artist's."
    )
    join_phrase = models.CharField(
        max_length=20, blank=True, help_text="What comes before the next artist, with spaces: ' & ', ', ', ' feat. '."
    )
    position = models.PositiveSmallIntegerField(default=1)

    objects = TrackArtistQuerySet.as_manager()

    class Meta:
        ordering = ["position", "id"]
        verbose_name = "performer"
        constraints = [
            models.UniqueConstraint(fields=["track", "artist"], name="track_artist_once"),
        ]

    def __str__(self):
        return f"{self.artist.name} on {self.track.title}"

    def natural_key(self):
        return (*self.track.natural_key(), self.artist.slug)

    natural_key.dependencies = ["catalog.track", "catalog.artist"]


class WriterRole(models.TextChoices):
    WRITER = "writer", "Writer"
    COMPOSER = "composer", "Composer"
    LYRICIST = "lyricist", "Lyricist"
    ARRANGER = "arranger", "Arranger"


class TrackWriterQuerySet(models.QuerySet):
    def get_by_natural_key(self, album_slug, disc, position, artist_slug, role):
        return self.get(
            track__album__slug=album_slug, track__disc=disc, track__position=position,
            artist__slug=artist_slug, role=role,
        )


class TrackWriter(models.Model):
    track = models.ForeignKey(Track, on_delete=models.CASCADE, related_name="track_writers")
    artist = models.ForeignKey("catalog.Artist", on_delete=models.PROTECT, related_name="writing_credits")
    role = models.CharField(max_length=10, choices=WriterRole, default=WriterRole.WRITER)
    position = models.PositiveSmallIntegerField(default=1)

    objects = TrackWriterQuerySet.as_manager()

    class Meta:
        ordering = ["position", "id"]
        verbose_name = "writer"
        constraints = [
            models.UniqueConstraint(fields=["track", "artist", "role"], name="track_writer_once"),
            choices_constraint("role", WriterRole, "track_writer_role_valid"),
        ]

    def __str__(self):
        return f"{self.artist.name} ({self.get_role_display()})"

    def natural_key(self):
        return (*self.track.natural_key(), self.artist.slug, self.role)

    natural_key.dependencies = ["catalog.track", "catalog.artist"]


class Role(SlugNaturalKeyMixin, models.Model):
    """A personnel role (production, mastering, drums…); editors extend the list."""

    name = models.CharField(max_length=100, unique=True, help_text="As a credit reads: 'mastering', 'bass guitar'.")
    slug = models.SlugField(max_length=100, unique=True)
    infobox_label = models.CharField(
        max_length=100, blank=True,
        help_text="Fill in to show people with this role in the album's infobox, under this heading "
        "(e.g. 'Music supervisor').",
    )
    position = models.PositiveSmallIntegerField(default=100, help_text="Order of the role in lists.")

    objects = SlugManager()

    class Meta:
        ordering = ["position", "name"]
        constraints = [slug_constraint("role_slug_valid")]

    def __str__(self):
        return self.name


class CreditQuerySet(models.QuerySet):
    def get_by_natural_key(self, album_slug, artist_slug, role_slug):
        return self.get(album__slug=album_slug, artist__slug=artist_slug, role__slug=role_slug)

    def published(self):
        return self.filter(live_q("album__"))


class Credit(models.Model):
    """Personnel: an artist's role on the album, or on some of its tracks."""

    album = models.ForeignKey("catalog.Album", on_delete=models.CASCADE, related_name="credits")
    artist = models.ForeignKey("catalog.Artist", on_delete=models.PROTECT, related_name="credits")
    role = models.ForeignKey(Role, on_delete=models.PROTECT, related_name="credits")
    tracks = models.ManyToManyField(
        Track, blank=True, related_name="credits",
        help_text="Leave empty when the credit covers the whole album.",
    )
    credited_as = models.CharField(max_length=200, blank=True, help_text="The name as printed, if different.")
    position = models.PositiveSmallIntegerField(default=1, help_text="Order in the personnel list.")

    objects = CreditQuerySet.as_manager()

    class Meta:
        ordering = ["position", "id"]
        verbose_name = "personnel credit"
        constraints = [
            models.UniqueConstraint(fields=["album", "artist", "role"], name="credit_unique"),
        ]

    def __str__(self):
        return f"{self.artist.name}: {self.role.name}"

    def natural_key(self):
        return (self.album.slug, self.artist.slug, self.role.slug)

    natural_key.dependencies = ["catalog.album", "catalog.artist", "catalog.role", "catalog.track"]


class SampleQuerySet(models.QuerySet):
    def get_by_natural_key(self, album_slug, position):
        return self.get(album__slug=album_slug, position=position)


class Sample(models.Model):
    """A track of the album contains a sample of another song."""

    album = models.ForeignKey("catalog.Album", on_delete=models.CASCADE, related_name="samples")
    track = models.ForeignKey(
        Track, on_delete=models.CASCADE, related_name="samples", help_text="The album track that samples."
    )
    title = models.CharField(max_length=300, help_text="The sampled song.")
    performer = models.ForeignKey(
        "catalog.Artist", on_delete=models.PROTECT, null=True, blank=True, related_name="sampled_recordings",
        help_text="Who performs the sampled recording.",
    )
    composers = models.ManyToManyField("catalog.Artist", blank=True, related_name="sampled_compositions")
    lyricists = models.ManyToManyField("catalog.Artist", blank=True, related_name="sampled_lyrics")
    note = models.CharField(max_length=300, blank=True)
    position = models.PositiveSmallIntegerField(default=1, help_text="Order in the album's list of samples.")

    objects = SampleQuerySet.as_manager()

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["album", "position"], name="sample_position_unique"),
        ]

    def __str__(self):
        return f"{self.track.title} samples {self.title}"

    def natural_key(self):
        return (self.album.slug, self.position)

    natural_key.dependencies = ["catalog.album", "catalog.track", "catalog.artist"]

    def clean(self):
        if self.track_id and self.album_id and self.track.album_id != self.album_id:
            raise ValidationError({"track": "That track belongs to another album."})
