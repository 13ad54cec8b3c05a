"""Public catalog pages. Each view asks its model's QuerySet for what it shows."""

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch
from django.views.generic import DetailView, ListView, TemplateView
from django_filters.views import FilterView

from reviews.models import AlbumScore

from .filters import AlbumFilter, TrackFilter
from .models import Album, Artist, Credit, Film, FilmCredit, Genre, Label, Membership, SongInFilm, Track
from .models.base import live_q
from .preview import PreviewMixin


class FriendlyPaginationMixin:
    """Out-of-range or garbage page numbers show the nearest page instead of a 404."""

    paginate_by = settings.ALBUMS_PER_PAGE
    page_kwarg = "page"  # Detail views paginate too, and DetailView has no pagination of its own.

    def paginate_queryset(self, queryset, page_size):
        paginator = Paginator(queryset, page_size)
        page = paginator.get_page(self.request.GET.get(self.page_kwarg))
        return paginator, page, page.object_list, page.has_other_pages()


class HomeView(TemplateView):
    template_name = "catalog/home.html"

    def get_context_data(self, **kwargs):
        albums = Album.objects.published().for_cards()
        return super().get_context_data(
            featured=albums.filter(featured=True).order_by("-created_at")[:3],
            latest=albums.filter(featured=False).order_by("-created_at")[:8],
            **kwargs,
        )


class AlbumListView(FriendlyPaginationMixin, FilterView):
    """Published albums, filtered and ordered from the query string; garbage in it is a form error."""

    filterset_class = AlbumFilter
    template_name = "catalog/album_list.html"

    def get(self, request, *args, **kwargs):
        AlbumScore.refresh_due()  # The cards show, and the list sorts by, the stored aggregates.
        return super().get(request, *args, **kwargs)


class TrackListView(FriendlyPaginationMixin, FilterView):
    """Tracks of published albums, filtered by performer, album and length."""

    filterset_class = TrackFilter
    paginate_by = 50
    template_name = "catalog/track_list.html"


class AlbumDetailView(PreviewMixin, DetailView):
    queryset = Album.objects.with_details()  # Published only, except to staff previewing (PreviewMixin).
    previews_parts = True  # ?preview shows staff the album's draft and scheduled reviews.

    def get_context_data(self, **kwargs):
        album = self.object
        tracks = list(album.tracks.all())
        number, disc = 0, None
        for track in tracks:  # Sleeve numbers skip hidden tracks and start again on each disc.
            if track.disc != disc:
                number, disc = 0, track.disc
            if not track.is_hidden:
                number += 1
            track.number = None if track.is_hidden else number
        songs = list(album.songs_in_film.all())
        return super().get_context_data(
            tracks=tracks,
            discs=len({track.disc for track in tracks}),
            length_summary=album.length_summary(),
            personnel=album.personnel(),
            infobox_credits=album.infobox_credits(),
            songs_on_album=[song for song in songs if song.on_album],
            songs_off_album=[song for song in songs if not song.on_album],
            **kwargs,
        )


class ArtistListView(FriendlyPaginationMixin, ListView):
    paginate_by = 60
    queryset = Artist.objects.all()


class ArtistDetailView(FriendlyPaginationMixin, DetailView):
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


def group_by_album(credits):
    grouped = {}
    for credit in credits:
        grouped.setdefault(credit.album, []).append(credit)
    return list(grouped.items())


class AlbumsOfMixin(FriendlyPaginationMixin):
    """A label's or genre's page: the object and its published albums, paginated."""

    def get_context_data(self, **kwargs):
        albums = self.get_albums().published().for_cards().order_by("release_date", "title")
        paginator, page, album_list, is_paginated = self.paginate_queryset(albums, self.paginate_by)
        return super().get_context_data(
            albums=album_list, page_obj=page, paginator=paginator, is_paginated=is_paginated, **kwargs
        )


class LabelListView(FriendlyPaginationMixin, ListView):
    paginate_by = 60
    queryset = Label.objects.annotate(
        album_count=Count("albums", filter=live_q("albums__"))
    ).order_by("name")  # Meta.ordering does not apply to an annotated (GROUP BY) query.


class LabelDetailView(AlbumsOfMixin, DetailView):
    model = Label

    def get_albums(self):
        return self.object.albums


class GenreListView(FriendlyPaginationMixin, ListView):
    paginate_by = 60
    queryset = Genre.objects.annotate(album_count=Count("albums", filter=live_q("albums__"))).order_by("name")


class GenreDetailView(AlbumsOfMixin, DetailView):
    model = Genre

    def get_albums(self):
        return self.object.albums


class FilmListView(FriendlyPaginationMixin, ListView):
    paginate_by = 60
    queryset = Film.objects.all()


class FilmDetailView(AlbumsOfMixin, DetailView):
    queryset = Film.objects.prefetch_related(
        Prefetch("credits", queryset=FilmCredit.objects.select_related("artist"))
    )

    def get_albums(self):
        return self.object.albums

    def get_context_data(self, **kwargs):
        songs = (
            SongInFilm.objects.published().filter(album__film=self.object)
            .select_related("track", "artist", "album")
            .prefetch_related("track__track_artists__artist")
        )
        return super().get_context_data(songs=songs, **kwargs)
