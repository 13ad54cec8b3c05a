"""The catalog's pages in sitemap.xml: published albums, and the artists, films, labels and genres
visitors can browse. URLs take the request's host (no django.contrib.sites)."""

from django.contrib import sitemaps
from django.db.models import Max, Q
from django.db.models.functions import Greatest
from django.urls import reverse

from .models import Album, Artist, Film, Genre, Label
from .models.base import live_q
from .models.links import is_page_address


class Sitemap(sitemaps.Sitemap):
    """Leaves out a row without a page address (a slug no URL can hold, catalog/models/links.py), which would
    otherwise be listed as the bare site."""

    def get_urls(self, page=1, site=None, protocol=None):
        return [url for url in super().get_urls(page, site, protocol) if is_page_address(url["location"])]


class StaticViewSitemap(Sitemap):
    """Pages that are not an object's: the home page and the browsing indexes."""

    url_names = ["home", "album-list", "track-list", "artist-list", "film-list", "genre-list", "label-list"]
    namespace = "catalog"

    def items(self):
        return self.url_names

    def location(self, item):
        return reverse(f"{self.namespace}:{item}")


class AlbumSitemap(Sitemap):
    def items(self):
        return Album.objects.published().only("slug", "updated_at", "publish_at").order_by("pk")

    def lastmod(self, album):
        return max(album.updated_at, album.publish_at)  # A scheduled album's page appears when it goes live.


class ArtistSitemap(Sitemap):
    """Every artist has a page; an artist records no time of change, so there is no lastmod."""

    def items(self):
        return Artist.objects.only("slug").order_by("pk")


class ListingSitemap(Sitemap):
    """A page that mostly lists related rows: last changed when the newest published one did, or went live.

    Subclasses name the model, the relation and what makes a related row published.
    """

    model = None
    relation = ""
    published = Q()

    def items(self):
        return (
            self.model.objects.only("slug")
            .annotate(listed_updated_at=Max(
                Greatest(f"{self.relation}__updated_at", f"{self.relation}__publish_at"), filter=self.published
            ))
            .order_by("pk")
        )

    def lastmod(self, obj):
        return obj.listed_updated_at


class AlbumsOfSitemap(ListingSitemap):
    """Film, label and genre pages list albums."""

    relation = "albums"
    published = live_q("albums__")


class FilmSitemap(AlbumsOfSitemap):
    model = Film


class LabelSitemap(AlbumsOfSitemap):
    model = Label


class GenreSitemap(AlbumsOfSitemap):
    model = Genre
