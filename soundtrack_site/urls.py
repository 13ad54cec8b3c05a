from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "Soundtrack Site editors"
admin.site.site_title = "Soundtrack Site admin"
admin.site.index_title = "Catalog and reviews"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("catalog.urls")),
    path("", include("reviews.urls")),
]

# Development only: in production the web server serves MEDIA_ROOT (see README).
urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
