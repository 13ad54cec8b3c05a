"""Public catalog pages. Each view asks its model's QuerySet for what it shows.

Other apps add to the album page and the album list through one interface, `PageExtension` below: the catalog
finds them in the app registry (`page_extensions()`), never by importing them, so that dependencies run one way
(the reviews app imports the catalog; the catalog names no other app).

Also the previews (`PreviewMixin`): staff open the public page of a draft or scheduled item and see it as visitors
will. Visitors get published() and a 404 for anything else. A member of staff who may view the model gets every
row, and a page whose item is not live is a preview: it carries a banner (base.html), is kept out of shared
caches and search engines, and counts no article view.
"""

from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

from django.apps import apps
from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch
from django.utils.cache import patch_cache_control
from django.utils.functional import cached_property
from django.utils.module_loading import import_string
from django.views.generic import DetailView, ListView, TemplateView
from django_filters.views import FilterView

from soundtrack_site.two_factor import second_factor_satisfied

from . import structured_data
from .filters import AlbumFilter, TrackFilter
from .models import Album, Artist, Credit, Film, FilmCredit, Genre, Label, Membership, SongInFilm, Track
from .models.base import live_q, permission_name

# Other apps' parts of the catalog's pages ------------------------------------------------------------------------


@dataclass(frozen=True)
class AlbumPart:
    """What an app adds to the album page: sections drawn after the track listing from `template` with `context`
    (the data its extension gathered), their (anchor, heading) entries in "On this page", and properties it adds to
    the album's JSON-LD."""

    template: str
    context: dict
    contents: list = field(default_factory=list)
    json_ld: dict = field(default_factory=dict)


class PageExtension(Protocol):
    """What an app adds to the catalog's pages (the reviews app: reviews/reception.py).

    An app offers one by naming it in its AppConfig's `catalog_pages` attribute, as a dotted path. Each method
    reads in a fixed number of queries whatever the data; album_page() reads none of its own.
    """

    def albums_for_list(self, albums):
        """The album list's albums with what the extension's filters, orders and the album cards read."""

    def album_filters(self):
        """New instances of the album list's filters it adds, by name: they come before the list's sort."""

    def album_orderings(self):
        """The orders it adds to the album list's sort, as SortFilter takes them: {value: (label, order_by)}."""

    def albums_for_page(self, albums, request, previewing_parts):
        """The album page's albums with what its part shows; `previewing_parts` when staff asked to see the
        album's unpublished parts (?preview) and may see the album's."""

    def album_page(self, album, request):
        """Its AlbumPart of the page, from what albums_for_page() fetched."""


def page_extensions():
    """The installed apps' PageExtensions, in INSTALLED_APPS order."""
    return [
        import_string(config.catalog_pages) for config in apps.get_app_configs()
        if getattr(config, "catalog_pages", None)
    ]


# Previews ------------------------------------------------------------------------------------------------------


def may_preview(user, model):
    """Staff with the admin's view (or change) permission on the model, and the second factor the admin asks of
    them: without it a draft is as hidden as the admin is."""
    if not (user.is_active and user.is_staff and second_factor_satisfied(user)):
        return False
    return any(user.has_perm(permission_name(model, action)) for action in ("view", "change"))


def keep_private(response):
    """Not stored by any cache on the way, and not indexed even if its address leaks."""
    patch_cache_control(response, private=True, no_store=True)
    response["X-Robots-Tag"] = "noindex"
    return response


@dataclass(frozen=True)
class Preview:
    """What the preview banner says: the item's state and, when scheduled, when it goes live."""

    noun: str
    state: str  # "draft", "scheduled", or "published" when only parts of the page are not
    goes_live: datetime | None = None
    parts: bool = False  # The page also shows its unpublished parts, each marked as such.

    @classmethod
    def of(cls, obj, parts=False):
        goes_live = getattr(obj, obj.publish_field) if obj.is_scheduled else None
        return cls(obj._meta.verbose_name, obj.publication_state, goes_live, parts)


class PreviewMixin:
    """For a DetailView of a Publishable model whose `queryset` is not yet filtered by published().

    With `previews_parts`, `?preview` on a live item's page previews its unpublished parts too
    (an album's draft and scheduled reviews, linked from the review's admin page).
    """

    previews_parts = False

    @cached_property
    def may_preview(self):
        return may_preview(self.request.user, self.get_queryset_model())

    @cached_property
    def previewing_parts(self):
        return self.previews_parts and "preview" in self.request.GET and self.may_preview

    def get_queryset_model(self):
        return self.model or self.queryset.model

    def get_queryset(self):
        queryset = super().get_queryset()
        return queryset if self.may_preview else queryset.published()

    @cached_property
    def preview(self):
        """The banner's facts for a preview, or None for the page visitors see."""
        if not self.may_preview:
            return None
        parts = self.previewing_parts
        return Preview.of(self.object, parts) if parts or not self.object.is_published else None

    def get_context_data(self, **kwargs):
        return super().get_context_data(preview=self.preview, **kwargs)

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        return keep_private(response) if self.preview else response


# Shared by the pages -------------------------------------------------------------------------------------------


class StructuredDataMixin:
    """Gives base.html the page's schema.org description, which it writes as JSON-LD ({% json_ld %}).

    A view builds it in get_structured_data() with a function of structured_data.py (its app's), from the context it
    gathered: structured data reads nothing the page does not show.
    """

    def get_structured_data(self, context):
        raise NotImplementedError

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["structured_data"] = self.get_structured_data(context)
        return context


class FriendlyPaginationMixin:
    """Out-of-range or garbage page numbers show the nearest page instead of a 404."""

    paginate_by = settings.ALBUMS_PER_PAGE
    page_kwarg = "page"  # Detail views paginate too, and DetailView has no pagination of its own.

    def paginate_queryset(self, queryset, page_size):
        paginator = Paginator(queryset, page_size)
        page = paginator.get_page(self.request.GET.get(self.page_kwarg))
        return paginator, page, page.object_list, page.has_other_pages()


# The pages -----------------------------------------------------------------------------------------------------


class HomeView(StructuredDataMixin, TemplateView):
    template_name = "catalog/home.html"

    def get_context_data(self, **kwargs):
        albums = Album.objects.published().for_cards()
        return super().get_context_data(
            featured=albums.filter(featured=True).order_by("-created_at")[:3],
            latest=albums.filter(featured=False).order_by("-created_at")[:8],
            **kwargs,
        )

    def get_structured_data(self, context):
        return structured_data.website(self.request)


class AlbumListView(FriendlyPaginationMixin, FilterView):
    """Published albums, filtered and ordered from the query string; garbage in it is a form error."""

    filterset_class = AlbumFilter
    template_name = "catalog/album_list.html"

    def get_filterset_kwargs(self, filterset_class):
        return {**super().get_filterset_kwargs(filterset_class), "extensions": page_extensions()}


class TrackListView(FriendlyPaginationMixin, FilterView):
    """Tracks of published albums, filtered by performer, album and length."""

    filterset_class = TrackFilter
    paginate_by = 50
    template_name = "catalog/track_list.html"


class AlbumDetailView(PreviewMixin, StructuredDataMixin, DetailView):
    """The album page: everything on it is read by get_queryset(), the catalog's part by with_details() and each
    extension's by its albums_for_page(), in a number of queries that does not grow with the album."""

    queryset = Album.objects.with_details()  # Published only, except to staff previewing (PreviewMixin).
    previews_parts = True  # ?preview shows staff the album's draft and scheduled reviews.

    @cached_property
    def extensions(self):
        return page_extensions()

    def get_queryset(self):
        albums = super().get_queryset()
        for extension in self.extensions:
            albums = extension.albums_for_page(albums, self.request, self.previewing_parts)
        return albums

    def get_context_data(self, **kwargs):
        album = self.object
        songs = list(album.songs_in_film.all())
        return super().get_context_data(
            discs=album.discs(),
            length_summary=album.length_summary(),
            personnel=album.personnel(),
            infobox_credits=album.infobox_credits(),
            songs_on_album=[song for song in songs if song.on_album],
            songs_off_album=[song for song in songs if not song.on_album],
            parts=[extension.album_page(album, self.request) for extension in self.extensions],
            **kwargs,
        )

    def get_structured_data(self, context):
        return structured_data.music_album(self.object, self.request, [part.json_ld for part in context["parts"]])


class ArtistListView(FriendlyPaginationMixin, ListView):
    paginate_by = 60
    queryset = Artist.objects.all()


class ArtistDetailView(FriendlyPaginationMixin, StructuredDataMixin, DetailView):
    """An artist with their tracks (also those made with their groups), credits and films."""

    paginate_by = 50
    queryset = Artist.objects.prefetch_related(
        Prefetch("group_memberships", queryset=Membership.objects.select_related("group")),
        Prefetch("memberships", queryset=Membership.objects.select_related("member")),
    )

    def get_context_data(self, **kwargs):
        artist = self.object
        tracks = (
            Track.objects.published().by_artist(artist).for_listing()
            .order_by("album__release_date", "album__title", "disc", "position")
        )
        paginator, page, track_list, is_paginated = self.paginate_queryset(tracks, self.paginate_by)
        credits = (
            Credit.objects.published().filter(artist=artist).select_related("album", "role")
            .order_by("album__release_date", "album__title", "role__position")
        )
        film_credits = FilmCredit.objects.filter(artist=artist).select_related("film").order_by("film__year")
        return super().get_context_data(
            tracks=track_list, page_obj=page, paginator=paginator, is_paginated=is_paginated,
            credits_by_album=group_by_album(credits),
            film_credits=film_credits,
            **kwargs,
        )

    def get_structured_data(self, context):
        return structured_data.artist(self.object, self.request)


def group_by_album(credits):
    grouped = {}
    for credit in credits:
        grouped.setdefault(credit.album, []).append(credit)
    return list(grouped.items())


class AlbumsOfMixin(FriendlyPaginationMixin, StructuredDataMixin):
    """A label's, genre's or film's page: the object and its published albums, paginated."""

    def get_context_data(self, **kwargs):
        albums = self.get_albums().published().for_cards().order_by("release_date", "title")
        paginator, page, album_list, is_paginated = self.paginate_queryset(albums, self.paginate_by)
        return super().get_context_data(
            albums=album_list, page_obj=page, paginator=paginator, is_paginated=is_paginated, **kwargs
        )

    def get_albums(self):
        return self.object.albums


class LabelListView(FriendlyPaginationMixin, ListView):
    paginate_by = 60
    queryset = Label.objects.annotate(
        album_count=Count("albums", filter=live_q("albums__"))
    ).order_by("name")  # Meta.ordering does not apply to an annotated (GROUP BY) query.


class LabelDetailView(AlbumsOfMixin, DetailView):
    model = Label

    def get_structured_data(self, context):
        return structured_data.label(self.object, self.request)


class GenreListView(FriendlyPaginationMixin, ListView):
    paginate_by = 60
    queryset = Genre.objects.annotate(album_count=Count("albums", filter=live_q("albums__"))).order_by("name")


class GenreDetailView(AlbumsOfMixin, DetailView):
    model = Genre

    def get_structured_data(self, context):
        return structured_data.genre(self.object, self.request)


class FilmListView(FriendlyPaginationMixin, ListView):
    paginate_by = 60
    queryset = Film.objects.all()


class FilmDetailView(AlbumsOfMixin, DetailView):
    queryset = Film.objects.prefetch_related(
        Prefetch("credits", queryset=FilmCredit.objects.select_related("artist"))
    )

    def get_context_data(self, **kwargs):
        songs = (
            SongInFilm.objects.published().filter(album__film=self.object)
            .select_related("track", "artist", "album")
            .prefetch_related("track__track_artists__artist")
        )
        return super().get_context_data(songs=songs, **kwargs)

    def get_structured_data(self, context):
        return structured_data.film(self.object, self.request)
