"""The editors' only tool: every catalog model, with the album page as the hub.

The rooms: base.py (what every admin class is built on), inlines.py (compact inline rows that may trade
places), publishing.py (who may publish, the publish actions), history.py (versions, revert, recover),
conflicts.py (two editors, one item), imports.py (files in and out) and quality.py (the data-quality
report). Another app edits its part of an album on the album's page through `album_page`.
"""

from dataclasses import dataclass, field

from django.contrib import admin
from django.db.models import Count
from django.utils.html import format_html

from ..fields import format_length
from ..models import (
    Album,
    Artist,
    Chart,
    ChartEntry,
    Credit,
    Edition,
    EditionTrack,
    Film,
    FilmCredit,
    Genre,
    Label,
    Membership,
    Role,
    Sample,
    SongInFilm,
    Source,
    Track,
    TrackArtist,
    TrackWriter,
)
from .base import ModelAdmin, StackedInline, TabularInline
from .conflicts import EditConflictMixin
from .history import HistoryAdmin  # Also registers the history's models, before the admin classes exist.
from .imports import ArtistResource, ImportExportAdmin, TrackResource
from .inlines import AlbumTrackChoicesMixin, CompactInline
from .publishing import PublicationStateFilter, PublishingAdmin, PublishRuleAdmin


def cover_thumbnail(image, alt):
    if not image:
        return "—"
    # Styled by a class in css/admin.css (the admin's Media): the Content-Security-Policy forbids style attributes.
    return format_html('<img class="admin-thumbnail" src="{}" alt="{}" width="64" height="64">', image.url, alt)


@dataclass
class AlbumPage:
    """What other apps edit and show on an album's admin page, after the catalog's own parts.

    The reviews app adds the album's reception (reviews/admin/__init__.py): inlines, and a fieldset of
    read-only callables given the album. Read on each request, so no app's import order matters.
    """

    inlines: list = field(default_factory=list)
    fieldsets: list = field(default_factory=list)

    def add(self, *, inlines=(), fieldset=None):
        self.inlines += inlines
        if fieldset is not None:
            self.fieldsets.append(fieldset)

    def readonly_fields(self):
        return [name for _title, options in self.fieldsets for name in options["fields"]]


album_page = AlbumPage()


class TrackInline(CompactInline, TabularInline):
    model = Track
    fields = ["disc", "position", "title", "length", "is_hidden", "is_bonus", "note", "performers"]
    readonly_fields = ["performers"]
    show_change_link = True

    @admin.display(description="Performers")
    def performers(self, track):
        if not track.pk:
            return "Save, then add performers on the track's page."
        return track.artist_credit or "—"

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("track_artists__artist")


class CreditInline(CompactInline, AlbumTrackChoicesMixin, TabularInline):
    model = Credit
    fields = ["position", "artist", "role", "tracks", "credited_as"]
    autocomplete_fields = ["artist", "role"]


class EditionInline(CompactInline, StackedInline):
    model = Edition
    autocomplete_fields = ["label"]
    fields = [
        ("position", "name", "format"),
        ("label", "catalogue_number", "release_date", "country"),
        ("limited_to", "discogs_release"),
        "notes",
    ]
    show_change_link = True


class SongInFilmInline(CompactInline, AlbumTrackChoicesMixin, TabularInline):
    model = SongInFilm
    fields = ["position", "track", "title", "artist", "performed_by", "scene", "note"]
    autocomplete_fields = ["artist"]


class SampleInline(CompactInline, AlbumTrackChoicesMixin, TabularInline):
    model = Sample
    fields = ["position", "track", "title", "performer", "composers", "lyricists", "note"]
    autocomplete_fields = ["performer", "composers", "lyricists"]


class ChartEntryInline(CompactInline, TabularInline):
    model = ChartEntry
    autocomplete_fields = ["chart"]


class SourceInline(CompactInline, TabularInline):
    model = Source
    fields = ["position", "title", "publisher", "url", "published", "accessed", "note"]


@admin.register(Album)
class AlbumAdmin(PublishingAdmin, EditConflictMixin, HistoryAdmin):
    list_display = ["title", "album_type", "release_date", "label", "film", "state", "featured", "track_count"]
    list_filter = [PublicationStateFilter, "album_type", "featured", "genres", "label"]
    list_select_related = ["label", "film"]
    search_fields = ["title", "catalogue_number", "film__title", "label__name"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["label", "genres", "film"]
    readonly_fields = ["length_check", "cover_preview", "created_at", "updated_at"]
    save_on_top = True
    fieldsets = [
        (None, {"fields": ["title", "slug", "album_type", "artist_credit", ("status", "publish_at"), "featured"]}),
        ("Release", {"fields": [
            "release_date", ("length", "length_check"), "label", "catalogue_number", "genres", "film",
        ]}),
        ("Cover and description", {"fields": [("cover", "cover_preview"), "cover_alt", "description"]}),
        ("Advanced", {"classes": ["collapse"], "fields": ["created_at", "updated_at"]}),
    ]
    inlines = [
        TrackInline, CreditInline, SampleInline, SongInFilmInline, EditionInline, ChartEntryInline, SourceInline,
    ]

    class Media:
        css = {"all": ["css/admin.css"]}

    def get_inlines(self, request, obj):
        return [*super().get_inlines(request, obj), *album_page.inlines]

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        at = next(number for number, (title, _options) in enumerate(fieldsets) if title == "Advanced")
        return [*fieldsets[:at], *album_page.fieldsets, *fieldsets[at:]]

    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), *album_page.readonly_fields()]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(track_count=Count("tracks"))

    @admin.display(description="Tracks", ordering="track_count")
    def track_count(self, album):
        return album.track_count

    @admin.display(description="Cover")
    def cover_preview(self, album):
        return cover_thumbnail(album.cover, album.cover_alt)

    @admin.display(description="Tracks add up to")
    def length_check(self, album):
        if not album.pk:
            return "Shown once the album has tracks."
        summary = album.length_summary()
        if summary.track_count == 0:
            return "No tracks yet."
        total = format_length(summary.known_total) or "0:00"
        if summary.unknown:
            return format_html(
                '<strong class="length-warning">⚠ {} from the known lengths; {} of {} tracks have no length.</strong>',
                total, summary.unknown, summary.track_count,
            )
        if summary.agrees is False:
            return format_html(
                '<strong class="length-warning">⚠ {}, but the declared length is {}.</strong>',
                total, format_length(summary.declared),
            )
        return f"{total} ✓" if summary.agrees else total


class TrackArtistInline(CompactInline, TabularInline):
    model = TrackArtist
    autocomplete_fields = ["artist"]
    fields = ["position", "artist", "credited_as", "join_phrase"]


class TrackWriterInline(CompactInline, TabularInline):
    model = TrackWriter
    autocomplete_fields = ["artist"]
    fields = ["position", "artist", "role"]


@admin.register(Track)
class TrackAdmin(ImportExportAdmin, PublishRuleAdmin, ModelAdmin):
    publishable = "album"
    resource_classes = [TrackResource]
    list_display = ["title", "album", "disc", "position", "length_display", "is_hidden", "is_bonus"]
    list_filter = ["is_hidden", "is_bonus", "album__status"]
    list_select_related = ["album"]
    search_fields = ["title", "alternative_title", "album__title", "artists__name"]
    autocomplete_fields = ["album"]
    inlines = [TrackArtistInline, TrackWriterInline]

    @admin.display(description="Length", ordering="length")
    def length_display(self, track):
        return format_length(track.length) or "—"


class MembershipInline(CompactInline, TabularInline):
    model = Membership
    fk_name = "group"
    autocomplete_fields = ["member"]
    verbose_name = "member"
    verbose_name_plural = "members (fill in for groups)"


@admin.register(Artist)
class ArtistAdmin(ImportExportAdmin, ModelAdmin):
    resource_classes = [ArtistResource]
    list_display = ["name", "kind", "disambiguation", "country"]
    list_filter = ["kind", "country"]
    search_fields = ["name", "sort_name", "original_name", "disambiguation"]
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = ["image_preview"]
    inlines = [MembershipInline]
    fieldsets = [
        (None, {"fields": ["name", "slug", "kind", "disambiguation", "original_name", "country"]}),
        ("Dates", {"fields": [("begin_date", "end_date")]}),
        ("Biography and image", {"fields": ["biography", ("image", "image_preview"), "image_alt"]}),
        ("Advanced", {"classes": ["collapse"], "fields": ["sort_name"]}),
    ]

    class Media:
        css = {"all": ["css/admin.css"]}

    @admin.display(description="Image")
    def image_preview(self, artist):
        return cover_thumbnail(artist.image, artist.image_alt)


@admin.register(Membership)
class MembershipAdmin(ModelAdmin):
    list_display = ["member", "group", "instruments", "begin_year", "end_year"]
    list_select_related = ["member", "group"]
    search_fields = ["member__name", "group__name"]
    autocomplete_fields = ["member", "group"]


@admin.register(Label)
class LabelAdmin(ModelAdmin):
    list_display = ["name", "country", "album_count"]
    list_filter = ["country"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(album_count=Count("albums"))

    @admin.display(description="Albums", ordering="album_count")
    def album_count(self, label):
        return label.album_count


@admin.register(Genre)
class GenreAdmin(ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


class FilmCreditInline(CompactInline, TabularInline):
    model = FilmCredit
    autocomplete_fields = ["artist"]
    fields = ["role", "position", "artist", "character"]


@admin.register(Film)
class FilmAdmin(ModelAdmin):
    list_display = ["title", "year", "imdb_link", "directors"]
    list_filter = ["year"]
    search_fields = ["title", "imdb_id"]
    prepopulated_fields = {"slug": ["title", "year"]}
    inlines = [FilmCreditInline]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("credits__artist")

    @admin.display(description="IMDb")
    def imdb_link(self, film):
        if not film.imdb_id:
            return "—"
        return format_html('<a href="{}" rel="noopener">{}</a>', film.imdb_url, film.imdb_id)

    @admin.display(description="Directed by")
    def directors(self, film):
        return ", ".join(c.artist.name for c in film.credits.all() if c.role == "director") or "—"


@admin.register(FilmCredit)
class FilmCreditAdmin(ModelAdmin):
    list_display = ["film", "role", "artist", "character"]
    list_filter = ["role"]
    list_select_related = ["film", "artist"]
    search_fields = ["film__title", "artist__name", "character"]
    autocomplete_fields = ["film", "artist"]


@admin.register(Role)
class RoleAdmin(ModelAdmin):
    list_display = ["name", "infobox_label", "position"]
    list_editable = ["position"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Credit)
class CreditAdmin(PublishRuleAdmin, ModelAdmin):
    publishable = "album"
    list_display = ["artist", "role", "album", "scope"]
    list_filter = ["role"]
    list_select_related = ["artist", "role", "album"]
    search_fields = ["artist__name", "album__title", "role__name"]
    autocomplete_fields = ["artist", "album", "role"]
    filter_horizontal = ["tracks"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("tracks")

    @admin.display(description="Scope")
    def scope(self, credit):
        tracks = credit.tracks.all()
        return ", ".join(track.title for track in tracks) if tracks else "Whole album"


@admin.register(Sample)
class SampleAdmin(PublishRuleAdmin, ModelAdmin):
    publishable = "album"
    list_display = ["title", "performer", "track", "album"]
    list_select_related = ["performer", "track", "album"]
    search_fields = ["title", "track__title", "performer__name"]
    autocomplete_fields = ["album", "track", "performer", "composers", "lyricists"]


@admin.register(SongInFilm)
class SongInFilmAdmin(PublishRuleAdmin, ModelAdmin):
    publishable = "album"
    list_display = ["__str__", "album", "on_album", "scene"]
    list_select_related = ["album", "track", "artist"]
    search_fields = ["title", "track__title", "artist__name", "scene"]
    autocomplete_fields = ["album", "track", "artist"]

    @admin.display(boolean=True, description="On the album")
    def on_album(self, song):
        return song.on_album


class EditionTrackInline(CompactInline, TabularInline):
    model = EditionTrack
    fields = ["side", "position", "track"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "track":
            edition_id = request.resolver_match.kwargs.get("object_id")
            tracks = Track.objects.filter(album__editions=edition_id) if edition_id else Track.objects.none()
            kwargs["queryset"] = tracks
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Edition)
class EditionAdmin(PublishRuleAdmin, ModelAdmin):
    publishable = "album"
    list_display = ["name", "album", "format", "label", "catalogue_number", "release_date"]
    list_filter = ["format"]
    list_select_related = ["album", "label"]
    search_fields = ["name", "album__title", "catalogue_number"]
    autocomplete_fields = ["album", "label"]
    inlines = [EditionTrackInline]


@admin.register(Chart)
class ChartAdmin(ModelAdmin):
    list_display = ["name", "country"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(ChartEntry)
class ChartEntryAdmin(PublishRuleAdmin, ModelAdmin):
    publishable = "album"
    list_display = ["album", "chart", "date", "peak_position"]
    list_select_related = ["album", "chart"]
    search_fields = ["album__title", "chart__name"]
    autocomplete_fields = ["album", "chart"]


@admin.register(Source)
class SourceAdmin(PublishRuleAdmin, ModelAdmin):
    publishable = "album"
    list_display = ["title", "publisher", "album", "accessed"]
    list_select_related = ["album"]
    search_fields = ["title", "publisher", "album__title"]
    autocomplete_fields = ["album"]

