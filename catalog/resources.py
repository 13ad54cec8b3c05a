"""The catalog's rows as files (django-import-export): an album's track listing and artists."""

from django.core.exceptions import ValidationError
from import_export.fields import Field
from import_export.widgets import CharWidget

from .importing import CatalogResource, FlagWidget, IntegerWidget, LengthWidget, SlugListWidget, SlugWidget
from .models import Album, Artist, Track, TrackArtist

TRACK_COLUMNS = (
    "album", "disc", "position", "title", "alternative_title", "length", "hidden", "bonus", "note", "artists",
)
ARTIST_COLUMNS = (
    "slug", "name", "sort_name", "kind", "disambiguation", "original_name", "begin_date", "end_date", "country",
    "biography",
)


class TrackResource(CatalogResource):
    """One row per track: the album by slug, disc and position say which track it is.

    `disc` may be left out for a single disc. `artists` lists the performers' slugs in sleeve order
    ("brian-reitzell, roger-joseph-manning-jr"); without the column the performers are left as they are.
    """

    album = Field("album", "album", SlugWidget(Album))
    disc = Field("disc", "disc", IntegerWidget(), default=1)
    position = Field("position", "position", IntegerWidget())
    title = Field("title", "title", CharWidget())
    alternative_title = Field("alternative_title", "alternative_title", CharWidget())
    length = Field("length", "length", LengthWidget())
    hidden = Field("is_hidden", "hidden", FlagWidget())
    bonus = Field("is_bonus", "bonus", FlagWidget())
    note = Field("note", "note", CharWidget())
    artists = Field(column_name="artists", widget=SlugListWidget(Artist))

    publishable = "album"

    class Meta:
        model = Track
        fields = export_order = import_order = TRACK_COLUMNS
        import_id_fields = ("album", "disc", "position")

    @classmethod
    def required_columns(cls):
        return ["album", "position"]

    def before_import(self, dataset, **kwargs):
        super().before_import(dataset, **kwargs)
        if "disc" not in dataset.headers:
            dataset.append_col([1] * len(dataset), header="disc")

    def filter_export(self, queryset, **kwargs):
        return queryset.select_related("album").prefetch_related("track_artists__artist")

    def dehydrate_artists(self, track):
        return ", ".join(credit.artist.slug for credit in track.track_artists.all()) if track.pk else ""

    def import_instance(self, instance, row, **kwargs):
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        instance.imported_performers = None
        if "artists" in row:
            try:
                instance.imported_performers = self.fields["artists"].clean(row)
            except ValueError as error:
                errors["artists"] = ValidationError(str(error))
        if errors:
            raise ValidationError(errors)

    def skip_row(self, instance, original, row, import_validation_errors=None):
        performers = instance.imported_performers
        if performers is not None and self.dehydrate_artists(original) != ", ".join(a.slug for a in performers):
            return False
        return super().skip_row(instance, original, row, import_validation_errors)

    def after_save_instance(self, instance, row, **kwargs):
        if instance.imported_performers is not None:
            set_performers(instance, instance.imported_performers)


def set_performers(track, artists):
    """Credit exactly these artists, in this order, keeping what is known of those already credited.

    A new credit is joined to the next with " & " (editors change it on the track's page); the last
    credit joins nothing.
    """
    credits = {credit.artist_id: credit for credit in track.track_artists.all()}
    TrackArtist.objects.filter(track=track).exclude(artist__in=artists).delete()
    for position, artist in enumerate(artists, 1):
        credit = credits.get(artist.pk) or TrackArtist(track=track, artist=artist)
        credit.position = position
        credit.join_phrase = "" if position == len(artists) else (credit.join_phrase or " & ")
        credit.save()


class ArtistResource(CatalogResource):
    """One row per artist, found by slug. Images are uploaded on the artist's page, not imported."""

    slug = Field("slug", "slug", CharWidget())
    name = Field("name", "name", CharWidget())
    sort_name = Field("sort_name", "sort_name", CharWidget())
    kind = Field("kind", "kind", CharWidget(), default="person")
    disambiguation = Field("disambiguation", "disambiguation", CharWidget())
    original_name = Field("original_name", "original_name", CharWidget())
    begin_date = Field("begin_date", "begin_date", CharWidget())
    end_date = Field("end_date", "end_date", CharWidget())
    country = Field("country", "country", CharWidget())
    biography = Field("biography", "biography", CharWidget())

    class Meta:
        model = Artist
        fields = export_order = import_order = ARTIST_COLUMNS
        import_id_fields = ("slug",)
