"""Films, the people who made them, and the songs heard in them."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower

from catalog.fields import PartialDateField
from catalog.models.constraints import partial_date_constraint, slug_constraint
from catalog.models.links import reverse_or_empty
from catalog.validators import imdb_id_validator

from .base import SlugManager, SlugNaturalKeyMixin, choices_constraint, live_q


class Film(SlugNaturalKeyMixin, models.Model):
    title = models.CharField(max_length=300)
    slug = models.SlugField(max_length=200, unique=True)
    year = models.PositiveSmallIntegerField(help_text="Year of first release.")
    release_date = PartialDateField(help_text="First release (YYYY, YYYY-MM or YYYY-MM-DD).")
    imdb_id = models.CharField(
        "IMDb id", max_length=10, blank=True, validators=[imdb_id_validator],
        help_text="From the film's IMDb address, e.g. tt0335266.",
    )
    description = models.TextField(blank=True, help_text="A few sentences in our own words.")

    objects = SlugManager()

    class Meta:
        ordering = ["title", "year"]
        indexes = [
            models.Index(fields=["year"]),
            models.Index(Lower("title"), name="film_title_lower_idx"),  # The album filter.
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["imdb_id"], condition=~Q(imdb_id=""), name="film_imdb_id_unique"
            ),
            models.CheckConstraint(condition=Q(year__gte=1880), name="film_year_plausible"),
            slug_constraint("film_slug_valid"),
            partial_date_constraint("release_date", "film_release_date_valid"),
        ]

    def __str__(self):
        return f"{self.title} ({self.year})"

    def get_absolute_url(self):
        return reverse_or_empty("catalog:film-detail", kwargs={"slug": self.slug})

    def credits_by_role(self):
        """The prefetched credits as [(role label, [credits])], director first, in FilmRole order."""
        order = {role.value: index for index, role in enumerate(FilmRole)}
        grouped = {}
        for credit in sorted(self.credits.all(), key=lambda credit: (order[credit.role], credit.position)):
            grouped.setdefault(credit.get_role_display(), []).append(credit)
        return list(grouped.items())

    @property
    def imdb_url(self):
        return f"https://www.imdb.com/title/{self.imdb_id}/" if self.imdb_id else ""


class FilmRole(models.TextChoices):
    DIRECTOR = "director", "Director"
    WRITER = "writer", "Screenwriter"
    PRODUCER = "producer", "Producer"
    CAST = "cast", "Cast"
    COMPOSER = "composer", "Music"
    MUSIC_SUPERVISOR = "music_supervisor", "Music supervisor"


class FilmCreditQuerySet(models.QuerySet):
    def get_by_natural_key(self, film_slug, artist_slug, role):
        return self.get(film__slug=film_slug, artist__slug=artist_slug, role=role)


class FilmCredit(models.Model):
    film = models.ForeignKey(Film, on_delete=models.CASCADE, related_name="credits")
    artist = models.ForeignKey("catalog.Artist", on_delete=models.CASCADE, related_name="film_credits")
    role = models.CharField(max_length=20, choices=FilmRole)
    character = models.CharField(max_length=200, blank=True, help_text="For cast: the part played.")
    position = models.PositiveSmallIntegerField(default=1, help_text="Order within the role.")

    objects = FilmCreditQuerySet.as_manager()

    class Meta:
        ordering = ["role", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["film", "artist", "role"], name="film_credit_unique"),
            choices_constraint("role", FilmRole, "film_credit_role_valid"),
        ]

    def __str__(self):
        return f"{self.artist.name}: {self.get_role_display()} of {self.film.title}"

    def natural_key(self):
        return (self.film.slug, self.artist.slug, self.role)

    natural_key.dependencies = ["catalog.film", "catalog.artist"]


class SongInFilmQuerySet(models.QuerySet):
    def get_by_natural_key(self, album_slug, position):
        return self.get(album__slug=album_slug, position=position)

    def published(self):
        return self.filter(live_q("album__"))


class SongInFilm(models.Model):
    """A song heard in the album's film: one of the album's tracks, or a song left off it."""

    album = models.ForeignKey(
        "catalog.Album", on_delete=models.CASCADE, related_name="songs_in_film",
        help_text="The soundtrack album of the film the song is heard in.",
    )
    # RESTRICT: deleting the track alone is refused (the song would lose its title), while
    # deleting the whole album takes its songs in the film with it.
    track = models.ForeignKey(
        "catalog.Track", on_delete=models.RESTRICT, null=True, blank=True, related_name="film_uses",
        help_text="When the song is on the album, pick its track; otherwise give title and artist.",
    )
    title = models.CharField(max_length=300, blank=True, help_text="For a song not on the album.")
    artist = models.ForeignKey(
        "catalog.Artist", on_delete=models.SET_NULL, null=True, blank=True, related_name="film_songs",
        help_text="Whose song it is (for a song not on the album).",
    )
    performed_by = models.CharField(
        max_length=200, blank=True,
        help_text="Who sings it in the film when that is not the recording, e.g. "
        "'Bill Murray as Bob Harris'.",
    )
    scene = models.CharField(max_length=200, blank=True, help_text="e.g. 'karaoke', 'closing scene'.")
    note = models.TextField(blank=True, help_text="Why it was chosen or what it does in the scene.")
    position = models.PositiveSmallIntegerField(default=1, help_text="Order on the album page.")

    objects = SongInFilmQuerySet.as_manager()

    class Meta:
        ordering = ["position", "id"]
        verbose_name = "song in the film"
        verbose_name_plural = "songs in the film"
        constraints = [
            models.UniqueConstraint(fields=["album", "position"], name="song_in_film_position_unique"),
            models.CheckConstraint(
                condition=Q(track__isnull=False) | ~Q(title=""), name="song_in_film_has_title"
            ),
        ]

    def __str__(self):
        return self.display_title

    def natural_key(self):
        return (self.album.slug, self.position)

    natural_key.dependencies = ["catalog.album", "catalog.track", "catalog.artist"]

    def clean(self):
        if not self.track_id and not self.title.strip():
            raise ValidationError({"title": "Pick the album track, or give the song's title."})
        if self.track_id and self.album_id and self.track.album_id != self.album_id:
            raise ValidationError({"track": "That track belongs to another album."})

    @property
    def display_title(self):
        return self.title or (self.track.title if self.track_id else "")

    @property
    def on_album(self):
        return self.track_id is not None
