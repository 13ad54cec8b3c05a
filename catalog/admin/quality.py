"""The data-quality report: an admin page listing what is wrong or missing, each problem linked to the admin
page that fixes it; and its checks on the catalog.

Every check costs one query however large the catalog; a section lists at most LIMIT problems, the rest
once those are fixed. Each app adds its checks with add_checks() (the reviews app: reviews/admin/quality.py),
with the view permissions they need: the page is for staff who hold them all.
"""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from itertools import islice

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Exists, OuterRef, Q, Sum
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_safe

from ..fields import format_length
from ..models import Album, Artist, Source, Status, Track
from ..models.albums import LengthSummary
from ..models.base import permission_name
from ..search import fold

LIMIT = 200


@dataclass(frozen=True)
class Problem:
    item: str  # What is wrong: an album's, a track's, an artist's name.
    context: str  # Where it is, to tell items apart: the album of a track.
    detail: str  # What is wrong with it.
    url: str  # The admin page that fixes it.


@dataclass(frozen=True)
class Section:
    slug: str
    title: str
    description: str
    problems: list
    more: bool  # More than LIMIT: only the first are listed.


def section(slug, title, description, problems):
    problems = list(islice(problems, LIMIT + 1))
    return Section(slug, title, description, problems[:LIMIT], len(problems) > LIMIT)


def change_url(obj):
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])


def album_lengths():
    """Albums whose tracks' lengths are not all known, or add up to something else than the declared length.

    The sums are the database's; LengthSummary (the album page's and the admin's) judges them.
    """
    albums = Album.objects.only("title", "length").annotate(
        track_count=Count("tracks"), known_count=Count("tracks__length"), known_total=Sum("tracks__length")
    ).filter(track_count__gt=0)
    for album in albums:
        summary = LengthSummary(
            declared=album.length, known_total=album.known_total,
            unknown=album.track_count - album.known_count, track_count=album.track_count,
        )
        if not summary.complete:
            yield Problem(album.title, "", f"{summary.unknown} of {summary.track_count} tracks have no length.",
                          change_url(album))
        elif summary.agrees is False:
            yield Problem(album.title, "", f"The tracks add up to {format_length(summary.known_total)}; the "
                          f"declared length is {format_length(summary.declared)}.", change_url(album))


def tracks_without_length():
    tracks = Track.objects.filter(length__isnull=True).select_related("album").order_by(
        "album__title", "album_id", "disc", "position"
    )
    for track in tracks:
        yield Problem(track.title, f"{track.album.title}, disc {track.disc}, track {track.position}",
                      "No length.", change_url(track))


def name_key(name):
    """A name as duplicates share it: accents, case, spacing and a leading "The" folded away."""
    folded = " ".join(fold(name).split())
    return folded.removeprefix("the ")


def possible_duplicate_artists():
    """Artists whose names fold to the same, unless each has a different disambiguation telling them apart."""
    groups = defaultdict(list)
    for artist in Artist.objects.only("name", "disambiguation").order_by("name", "pk"):
        groups[name_key(artist.name)].append(artist)
    for _key, group in sorted(groups.items()):
        notes = {" ".join(fold(artist.disambiguation).split()) for artist in group}
        if len(group) < 2 or ("" not in notes and len(notes) == len(group)):
            continue
        for artist in group:
            others = "; ".join(str(other) for other in group if other is not artist)
            yield Problem(str(artist), "", f"Possibly the same as {others}.", change_url(artist))


def published_albums_without_cover_or_sources():
    albums = Album.objects.filter(status=Status.PUBLISHED).annotate(
        has_sources=Exists(Source.objects.filter(album=OuterRef("pk")))
    ).filter(Q(cover="") | Q(has_sources=False)).only("title", "cover")
    for album in albums:
        missing = [what for what, absent in (("cover", not album.cover), ("sources", not album.has_sources)) if absent]
        yield Problem(album.title, "", f"No {' and no '.join(missing)}.", change_url(album))


def catalog_sections():
    return [
        section("album-lengths", "Albums whose track lengths are incomplete or do not add up",
                "Compared with the album's declared length once every track has one.", album_lengths()),
        section("track-lengths", "Tracks without a length",
                "Fill them in on the album's page or the track's.", tracks_without_length()),
        section("duplicate-artists", "Possible duplicate artists",
                "The same name once accents, case and a leading “The” are set aside. Merge them, or tell "
                "them apart with a disambiguation.", possible_duplicate_artists()),
        section("albums-cover-sources", "Published albums without a cover or sources",
                "Published or scheduled.", published_albums_without_cover_or_sources()),
    ]


@dataclass(frozen=True)
class Checks:
    sections: Callable[[], list]  # Builds the report's sections.
    models: tuple  # What they read: the report asks the view permission of each.


CHECKS = []


def add_checks(sections, models):
    """Show these sections on the report (`sections()` builds them), to staff who may view all of `models`."""
    CHECKS.append(Checks(sections, tuple(models)))


add_checks(catalog_sections, [Album, Track, Artist])


@require_safe
def report(request):
    if not request.user.has_perms([permission_name(model, "view") for checks in CHECKS for model in checks.models]):
        raise PermissionDenied
    sections = [each for checks in CHECKS for each in checks.sections()]
    context = {
        **admin.site.each_context(request),
        "title": "Data quality",
        "sections": sections,
        "problem_count": sum(len(section.problems) for section in sections),
    }
    return TemplateResponse(request, "admin/data_quality.html", context)
