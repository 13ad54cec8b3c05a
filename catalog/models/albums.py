"""Albums, their editions, chart runs and the sources their facts come from."""

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Prefetch, Q, Value
from django.db.models.functions import Lower, NullIf
from django_countries.fields import CountryField

from catalog.fields import LengthField, PartialDateField, WebURLField, partial_date_year
from catalog.images import SafeImageField
from catalog.models.constraints import partial_date_constraint, slug_constraint
from catalog.models.links import reverse_or_empty
from catalog.validators import validate_image_file

from .base import (
    Publishable,
    PublishingQuerySet,
    SlugManager,
    SlugNaturalKeyMixin,
    SlugQuerySet,
    Status,
    choices_constraint,
    publish_at_field,
    published_has_time,
)


class AlbumType(models.TextChoices):
    SOUNDTRACK = "soundtrack", "Soundtrack"
    SCORE = "score", "Film score"
    STUDIO = "studio", "Studio album"
    COMPILATION = "compilation", "Compilation"
    EP = "ep", "EP"
    SINGLE = "single", "Single"
    LIVE = "live", "Live album"
    OTHER = "other", "Other"


class AlbumQuerySet(PublishingQuerySet, SlugQuerySet):

    def for_cards(self):
        """What an album card needs: its label, film and genres, in a fixed number of queries."""
        return self.select_related("label", "film").prefetch_related("genres")

    def with_details(self):
        """Everything the album page shows, in a number of queries that does not grow with it."""
        from .films import FilmCredit, SongInFilm
        from .tracks import Credit, Sample, Track, TrackArtist

        track_artists = TrackArtist.objects.select_related("artist")
        return self.select_related("label", "film").prefetch_related(
            "genres",
            Prefetch("film__credits", queryset=FilmCredit.objects.select_related("artist")),
            Prefetch("tracks", queryset=Track.objects.prefetch_related(
                Prefetch("track_artists", queryset=track_artists),
            )),
            Prefetch(
                "credits",
                queryset=Credit.objects.select_related("artist", "role").prefetch_related("tracks"),
            ),
            Prefetch(
                "samples",
                queryset=Sample.objects.select_related("track", "performer").prefetch_related(
                    "composers", "lyricists"
                ),
            ),
            Prefetch(
                "songs_in_film",
                queryset=SongInFilm.objects.select_related("track", "artist").prefetch_related(
                    Prefetch("track__track_artists", queryset=track_artists)
                ),
            ),
            Prefetch("editions", queryset=Edition.objects.select_related("label").prefetch_related(
                Prefetch("edition_tracks", queryset=EditionTrack.objects.select_related("track"))
            )),
            Prefetch("chart_entries", queryset=ChartEntry.objects.select_related("chart")),
            "sources",
        )


class Album(SlugNaturalKeyMixin, Publishable):
    title = models.CharField(max_length=300)
    slug = models.SlugField(
        max_length=200, unique=True,
        help_text="The album's address on the site. Changing it breaks links to the old address.",
    )
    album_type = models.CharField("type", max_length=20, choices=AlbumType, default=AlbumType.SOUNDTRACK)
    artist_credit = models.CharField(
        max_length=300, blank=True, default="Various artists",
        help_text="The album's artist as the sleeve credits it, e.g. 'Various artists'.",
    )
    release_date = PartialDateField(help_text="First release: YYYY, YYYY-MM or YYYY-MM-DD.")
    length = LengthField(
        null=True, blank=True,
        help_text="The running time the sources declare, as m:ss or h:mm:ss. "
        "Compared with the sum of the track lengths below.",
    )
    label = models.ForeignKey(
        "catalog.Label", on_delete=models.PROTECT, null=True, blank=True, related_name="albums"
    )
    catalogue_number = models.CharField(max_length=50, blank=True, help_text="Of the first release.")
    genres = models.ManyToManyField("catalog.Genre", blank=True, related_name="albums")
    film = models.ForeignKey(
        "catalog.Film", on_delete=models.PROTECT, null=True, blank=True, related_name="albums",
        help_text="The film this is the soundtrack or score of.",
    )
    cover = SafeImageField(
        upload_to="covers/", blank=True, validators=[validate_image_file],
        width_field="cover_width", height_field="cover_height",
        help_text="JPEG, PNG or WebP, at most 5 MB and 40 megapixels.",
    )
    # Stored on upload so pages can reserve the image's space without opening the file.
    cover_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    cover_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    cover_alt = models.CharField(
        "cover description", max_length=300, blank=True,
        help_text="Required with a cover: describes it for people who cannot see it.",
    )
    description = models.TextField(
        blank=True, help_text="Our own account of the album. Plain text; blank lines start paragraphs."
    )
    status = models.CharField(
        max_length=10, choices=Status, default=Status.DRAFT,
        help_text="Drafts are never shown to visitors.",
    )
    publish_at = publish_at_field()
    featured = models.BooleanField(default=False, help_text="Shown at the top of the home page.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = SlugManager.from_queryset(AlbumQuerySet)()

    class Meta:
        ordering = ["title", "id"]
        indexes = [
            models.Index(fields=["status", "title"]),
            models.Index(fields=["status", "release_date"]),
            models.Index(fields=["status", "-created_at"]),
            models.Index(fields=["status", "featured"]),
            # The album list's filters and orderings (catalog/filters.py).
            models.Index(fields=["status", "album_type"]),
            models.Index(F("status"), NullIf("release_date", Value("")), name="album_status_dated_idx"),
            models.Index(Lower("title"), name="album_title_lower_idx"),
            models.Index(fields=["status", "publish_at"]),
        ]
        permissions = [("publish_album", "Can publish, schedule and unpublish albums")]
        constraints = [
            choices_constraint("album_type", AlbumType, "album_type_valid"),
            choices_constraint("status", Status, "album_status_valid"),
            published_has_time("album_published_has_time"),
            models.CheckConstraint(
                condition=Q(length__isnull=True) | Q(length__gt=datetime.timedelta(0)),
                name="album_length_positive",
            ),
            models.CheckConstraint(condition=Q(cover="") | ~Q(cover_alt=""), name="album_cover_has_alt"),
            slug_constraint("album_slug_valid"),
            partial_date_constraint("release_date", "album_release_date_valid"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse_or_empty("catalog:album-detail", kwargs={"slug": self.slug})

    def clean(self):
        super().clean()
        if self.cover and not self.cover_alt.strip():
            raise ValidationError({"cover_alt": "Describe the cover for people who cannot see it."})

    @property
    def release_year(self):
        return partial_date_year(self.release_date)

    def length_summary(self):
        """Known track lengths against the declared length, for editors and visitors.

        Uses the prefetched tracks when there are some, so the album page pays no query.
        """
        tracks = list(self.tracks.all())
        known = [track.length for track in tracks if track.length is not None]
        total = sum(known, datetime.timedelta(0)) if known else None
        return LengthSummary(
            declared=self.length, known_total=total,
            unknown=len(tracks) - len(known), track_count=len(tracks),
        )

    def discs(self):
        """The tracks disc by disc, each track with its number as the sleeve prints it: [Disc].

        Sleeve numbers skip hidden tracks (their number is None) and start again on each disc. Uses the
        prefetched tracks, which come in disc and position order.
        """
        discs = []
        for track in self.tracks.all():
            if not discs or discs[-1].number != track.disc:
                discs.append(Disc(track.disc, []))
            tracks = discs[-1].tracks
            number = None if track.is_hidden else 1 + sum(shown is not None for shown, _track in tracks)
            tracks.append((number, track))
        return discs

    def personnel(self):
        """Credits grouped by person, in credit order: [(artist, [credits])]."""
        grouped = {}
        for credit in self.credits.all():
            grouped.setdefault(credit.artist, []).append(credit)
        return list(grouped.items())

    def infobox_credits(self):
        """Credits whose role the infobox shows (music supervisor, producer): [(label, [artists])]."""
        grouped = {}
        for credit in self.credits.all():
            if credit.role.infobox_label:
                grouped.setdefault(credit.role.infobox_label, []).append(credit.artist)
        return list(grouped.items())


@dataclass
class Disc:
    """One disc of an album: its number and its tracks as (sleeve number, track)."""

    number: int
    tracks: list


class LengthSummary:
    """The declared length beside what the tracks add up to."""

    def __init__(self, declared, known_total, unknown, track_count):
        self.declared = declared
        self.known_total = known_total
        self.unknown = unknown
        self.track_count = track_count

    @property
    def complete(self):
        return self.track_count > 0 and self.unknown == 0

    @property
    def agrees(self):
        """True or False when both are known, None when there is nothing to compare."""
        if self.declared is None or not self.complete:
            return None
        return self.known_total == self.declared


class EditionFormat(models.TextChoices):
    CD = "cd", "CD"
    LP = "lp", "Vinyl LP"
    CASSETTE = "cassette", "Cassette"
    DIGITAL = "digital", "Digital"
    OTHER = "other", "Other"


class ChildQuerySet(models.QuerySet):
    """Rows that hang off an album by position; their natural key is (album slug, position)."""

    def get_by_natural_key(self, album_slug, position):
        return self.get(album__slug=album_slug, position=position)


class Edition(models.Model):
    """A release of the album: the first CD, a reissue, a regional edition."""

    album = models.ForeignKey(Album, on_delete=models.CASCADE, related_name="editions")
    name = models.CharField(max_length=200, help_text="e.g. 'Original CD', '2019 Record Store Day LP'.")
    format = models.CharField(max_length=10, choices=EditionFormat, default=EditionFormat.CD)
    label = models.ForeignKey(
        "catalog.Label", on_delete=models.PROTECT, null=True, blank=True, related_name="editions"
    )
    catalogue_number = models.CharField(max_length=50, blank=True)
    release_date = PartialDateField()
    country = CountryField(blank=True)
    limited_to = models.PositiveIntegerField(
        null=True, blank=True, help_text="Number of copies, for a limited pressing."
    )
    discogs_release = models.PositiveIntegerField(
        "Discogs release id", null=True, blank=True, help_text="The number in the Discogs release address."
    )
    notes = models.TextField(blank=True, help_text="Colour of the vinyl, packaging, differences.")
    position = models.PositiveSmallIntegerField(default=1, help_text="Order on the album page.")

    objects = ChildQuerySet.as_manager()

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["album", "position"], name="edition_position_unique"),
            choices_constraint("format", EditionFormat, "edition_format_valid"),
            models.CheckConstraint(
                condition=Q(limited_to__isnull=True) | Q(limited_to__gte=1), name="edition_limited_to_positive"
            ),
            partial_date_constraint("release_date", "edition_release_date_valid"),
        ]

    def __str__(self):
        return f"{self.album.title}: {self.name}"

    def natural_key(self):
        return (self.album.slug, self.position)

    natural_key.dependencies = ["catalog.album", "catalog.label"]

    @property
    def discogs_url(self):
        return f"https://www.discogs.com/release/{self.discogs_release}" if self.discogs_release else ""


class EditionTrackQuerySet(models.QuerySet):
    def get_by_natural_key(self, album_slug, edition_position, side, position):
        return self.get(
            edition__album__slug=album_slug, edition__position=edition_position, side=side, position=position
        )


class EditionTrack(models.Model):
    """A track's place in an edition whose running order differs (an LP's sides)."""

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="edition_tracks")
    track = models.ForeignKey("catalog.Track", on_delete=models.CASCADE, related_name="edition_tracks")
    side = models.CharField(max_length=4, blank=True, help_text="Side or disc as printed: A, B, 2…")
    position = models.PositiveSmallIntegerField()

    objects = EditionTrackQuerySet.as_manager()

    class Meta:
        ordering = ["side", "position"]
        constraints = [
            models.UniqueConstraint(fields=["edition", "side", "position"], name="edition_track_position_unique"),
            models.UniqueConstraint(fields=["edition", "track"], name="edition_track_once"),
            models.CheckConstraint(condition=Q(position__gte=1), name="edition_track_position_positive"),
        ]

    def __str__(self):
        return f"{self.side}{self.position} {self.track.title}"

    def natural_key(self):
        return (self.edition.album.slug, self.edition.position, self.side, self.position)

    natural_key.dependencies = ["catalog.edition", "catalog.track"]

    def clean(self):
        if self.track_id and self.edition_id and self.track.album_id != self.edition.album_id:
            raise ValidationError({"track": "That track belongs to another album."})


class Chart(SlugNaturalKeyMixin, models.Model):
    name = models.CharField(max_length=200, help_text="e.g. 'UK Soundtrack Albums (OCC)'.")
    slug = models.SlugField(max_length=200, unique=True)
    country = CountryField(blank=True)

    objects = SlugManager()

    class Meta:
        ordering = ["name"]
        constraints = [slug_constraint("chart_slug_valid")]

    def __str__(self):
        return self.name


class ChartEntryQuerySet(models.QuerySet):
    def get_by_natural_key(self, album_slug, chart_slug, date):
        return self.get(album__slug=album_slug, chart__slug=chart_slug, date=date)


class ChartEntry(models.Model):
    album = models.ForeignKey(Album, on_delete=models.CASCADE, related_name="chart_entries")
    chart = models.ForeignKey(Chart, on_delete=models.PROTECT, related_name="entries")
    date = PartialDateField(blank=False, help_text="When it peaked: YYYY, YYYY-MM or YYYY-MM-DD.")
    peak_position = models.PositiveSmallIntegerField(help_text="Its best position: 1 or more.")
    weeks_on_chart = models.PositiveSmallIntegerField(null=True, blank=True)

    objects = ChartEntryQuerySet.as_manager()

    class Meta:
        ordering = ["date", "chart__name"]
        verbose_name_plural = "chart entries"
        constraints = [
            models.UniqueConstraint(fields=["album", "chart", "date"], name="chart_entry_unique"),
            models.CheckConstraint(condition=Q(peak_position__gte=1), name="chart_entry_peak_positive"),
            models.CheckConstraint(
                condition=Q(weeks_on_chart__isnull=True) | Q(weeks_on_chart__gte=1),
                name="chart_entry_weeks_positive",
            ),
            partial_date_constraint("date", "chart_entry_date_valid", blank=False),
        ]

    def __str__(self):
        return f"{self.album.title} on {self.chart.name}: {self.peak_position}"

    def natural_key(self):
        return (self.album.slug, self.chart.slug, self.date)

    natural_key.dependencies = ["catalog.album", "catalog.chart"]

    def clean(self):
        if self.peak_position is not None and self.peak_position < 1:
            raise ValidationError({"peak_position": "A chart position is 1 or more."})


class Source(models.Model):
    """A reference the album's facts come from, listed like an encyclopedia's references."""

    album = models.ForeignKey(Album, on_delete=models.CASCADE, related_name="sources")
    title = models.CharField(max_length=300)
    publisher = models.CharField(max_length=200, blank=True)
    url = WebURLField("URL", max_length=500, blank=True)
    published = PartialDateField(help_text="When the source was published, if known.")
    accessed = models.DateField(null=True, blank=True, help_text="When we last checked it.")
    note = models.CharField(max_length=300, blank=True, help_text="Which facts it supports.")
    position = models.PositiveSmallIntegerField(default=1)

    objects = ChildQuerySet.as_manager()

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["album", "position"], name="source_position_unique"),
            partial_date_constraint("published", "source_published_valid"),
        ]

    def __str__(self):
        return self.title

    def natural_key(self):
        return (self.album.slug, self.position)

    natural_key.dependencies = ["catalog.album"]
