"""The data-quality report: an admin page listing what is wrong or missing in the catalog and its reviews.

The checks live with their apps (catalog/quality.py, reviews/quality.py); this page shows them to staff
who may view albums, tracks, artists, reviews and lists, each problem linked to the admin page that fixes it.
"""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.views.decorators.http import require_safe

from catalog import quality as catalog_quality
from reviews import quality as reviews_quality

REQUIRED_PERMISSIONS = [
    "catalog.view_album", "catalog.view_track", "catalog.view_artist", "reviews.view_review",
    "reviews.view_bestoflist",
]


@require_safe
def report(request):
    if not request.user.has_perms(REQUIRED_PERMISSIONS):
        raise PermissionDenied
    sections = catalog_quality.sections() + reviews_quality.sections()
    context = {
        **admin.site.each_context(request),
        "title": "Data quality",
        "sections": sections,
        "problem_count": sum(len(section.problems) for section in sections),
    }
    return TemplateResponse(request, "admin/data_quality.html", context)

