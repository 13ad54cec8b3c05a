"""Filters and tags that format music data for people and lay out the public pages."""

import zlib
from dataclasses import dataclass

from django import template
from django.utils.safestring import mark_safe
from sorl.thumbnail import get_thumbnail
from sorl.thumbnail.images import DummyImageFile
from sorl.thumbnail.templatetags.thumbnail import safe_filter

from catalog.fields import format_iso_length, format_length, format_partial_date

register = template.Library()


@register.filter
def partial_date(value):
    """'2003-09-09' -> '9 September 2003'; '2003-09' -> 'September 2003'."""
    return format_partial_date(value)


@register.filter
def duration(value):
    """A timedelta as m:ss or h:mm:ss."""
    return format_length(value)


@register.filter
def iso_duration(value):
    """A timedelta as ISO 8601 (PT4M5S), for <time datetime>."""
    return format_iso_length(value)


@register.filter
def cover_hue(album):
    """A stable hue from the album's slug, to tint its typographic placeholder cover: one of twelve, 30° apart,
    each a class in site.css (the Content-Security-Policy allows no inline style attribute)."""
    return zlib.crc32(album.slug.encode()) % 12 * 30


# Sections of the main navigation that live outside the catalog app, and pages that belong to a
# section without being its list or detail pages (publications and critics sit under Reviews).
SECTION_NAMESPACES = {"review": "reviews", "list": "reviews", "article": "reviews"}
SECTION_PAGES = {
    "review": {"publication-list", "publication-detail", "critic-list", "critic-detail", "methodology"},
}


@register.simple_tag(takes_context=True)
def aria_current(context, section):
    """' aria-current="page"' on a section's list page, ' aria-current="true"' on its other pages."""
    request = context.get("request")
    match = getattr(request, "resolver_match", None)
    if match is None or match.namespace != SECTION_NAMESPACES.get(section, "catalog"):
        return ""
    if match.url_name == f"{section}-list":
        return mark_safe(' aria-current="page"')
    if match.url_name == f"{section}-detail" or match.url_name in SECTION_PAGES.get(section, ()):
        return mark_safe(' aria-current="true"')
    return ""


@register.simple_tag
def elided_page_range(page_obj):
    """Page numbers around the current one, with the paginator's ellipsis for the gaps."""
    return list(page_obj.paginator.get_elided_page_range(page_obj.number, on_each_side=1, on_ends=1))


@register.filter
def group_credits(track, artist):
    """The track's credits for groups the artist belongs to, when the artist is not credited in person.

    Uses the prefetched track artists and group memberships, so a list of tracks costs no query per row.
    """
    credits = list(track.track_artists.all())
    if any(credit.artist_id == artist.pk for credit in credits):
        return []
    group_ids = {membership.group_id for membership in artist.group_memberships.all()}
    return [credit for credit in credits if credit.artist_id in group_ids]


@register.simple_tag(takes_context=True)
def include_part(context, part):
    """Another app's part of a catalog page (catalog/views.py, AlbumPart): its template, drawn with the data that
    its extension gathered for the view, as {% include %} would draw it."""
    with context.push(part.context):
        return context.template.engine.get_template(part.template).render(context)


@register.filter
def credits_with_role(film, role):
    """The film's prefetched credits in one role: {{ album.film|credits_with_role:"director" }}."""
    return [credit for credit in film.credits.all() if credit.role == role]


# Thumbnail widths offered in an image's srcset; the browser picks one from the `sizes` it is given.
THUMBNAIL_WIDTHS = (300, 600, 900)
# The candidate an old browser, or a crawler, takes from src.
THUMBNAIL_SRC_WIDTH = 600


@dataclass(frozen=True)
class Thumbnails:
    src: str
    srcset: str
    width: int
    height: int


@register.simple_tag
@safe_filter(error_output=None)
def square_thumbnails(image):
    """Square, centre-cropped thumbnails for <img srcset> (src, srcset, width, height) of the file of an
    ImageField that stores its width and height.

    None when there is no file or it cannot be read: sorl logs why (THUMBNAIL_DEBUG is off, so even a
    corrupt file raises nothing) and the template draws its stand-in instead of a broken image.
    Widths past the source's shorter side, read from the field's stored dimensions, become that side:
    nothing is upscaled, and a small source gives one candidate instead of three copies.
    """
    if not image:
        return None
    width = getattr(image.instance, image.field.width_field, None)
    height = getattr(image.instance, image.field.height_field, None)
    side = min(width, height) if width and height else THUMBNAIL_WIDTHS[-1]
    thumbnails = [
        get_thumbnail(image, f"{size}x{size}", crop="center")
        for size in sorted({min(size, side) for size in THUMBNAIL_WIDTHS})
    ]
    # With THUMBNAIL_DUMMY on, sorl answers a source it cannot open with a dummy.
    if any(isinstance(thumbnail, DummyImageFile) for thumbnail in thumbnails):
        return None
    src = min(thumbnails, key=lambda thumbnail: abs(thumbnail.width - THUMBNAIL_SRC_WIDTH))
    return Thumbnails(
        src=src.url,
        srcset=", ".join(f"{thumbnail.url} {thumbnail.width}w" for thumbnail in thumbnails),
        width=src.width,
        height=src.height,
    )
