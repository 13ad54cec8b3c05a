from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path
from django.views.generic import TemplateView

from catalog import search as catalog_search
from catalog import sitemaps as catalog_sitemaps
from catalog.admin import quality
from reviews import search as reviews_search
from reviews import sitemaps as reviews_sitemaps

from . import health

admin.site.site_header = "Soundtrack Site editors"
admin.site.site_title = "Soundtrack Site admin"
admin.site.index_title = "Catalog and reviews"

# Every page a visitor may see, by section; drafts never, as each sitemap is built on published().
sitemaps = {
    "catalog": catalog_sitemaps.StaticViewSitemap,
    "reviews": reviews_sitemaps.StaticViewSitemap,
    "albums": reviews_sitemaps.AlbumSitemap,  # the catalog's, dated by the album's reviews as well
    "artists": catalog_sitemaps.ArtistSitemap,
    "films": catalog_sitemaps.FilmSitemap,
    "labels": catalog_sitemaps.LabelSitemap,
    "genres": catalog_sitemaps.GenreSitemap,
    "publications": reviews_sitemaps.PublicationSitemap,
    "critics": reviews_sitemaps.CriticSitemap,
    "lists": reviews_sitemaps.BestOfListSitemap,
    "articles": reviews_sitemaps.ArticleSitemap,
}

# What site search finds, by kind: each app's own (catalog/search.py), in the order their groups appear.
search_kinds = [*catalog_search.KINDS, *reviews_search.KINDS]

urlpatterns = [
    path("admin/data-quality/", admin.site.admin_view(quality.report), name="data-quality"),
    path("admin/", admin.site.urls),
    path("sitemap.xml", sitemap, {"sitemaps": sitemaps}, name="sitemap"),
    path("robots.txt", TemplateView.as_view(template_name="robots.txt", content_type="text/plain"), name="robots"),
    path("search/", catalog_search.search, {"kinds": search_kinds}, name="search"),
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("", include("catalog.urls")),
    path("", include("reviews.urls")),
]

# A 503 page instead of the 500 when the database cannot be reached (soundtrack_site/health.py).
handler500 = "soundtrack_site.health.server_error"

# Development only: in production the web server serves MEDIA_ROOT (see README).
urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
