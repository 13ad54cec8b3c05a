"""schema.org descriptions of catalog pages as JSON-LD, built from what the pages already load.

Each function takes the objects a page shows and the request (URLs in structured data are absolute),
reads only what the page's view prefetched, and returns a dict. A view gives it to the page as
`structured_data` (catalog/views.py, StructuredDataMixin), and base.html writes it with `script()`.
Other apps add properties to an album's (the reviews app: our aggregate and the reviews, through its AlbumPart).
"""

import json

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from catalog.fields import format_iso_length
from catalog.models import AlbumType, FilmRole

CONTEXT = "https://schema.org"

# Inside <script> nothing may read as markup: a title with "</script>" would end the element.
# The same escapes as django.utils.html.json_script, which only writes type="application/json".
SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}

PRODUCTION_TYPES = {
    AlbumType.SOUNDTRACK: "SoundtrackAlbum",
    AlbumType.SCORE: "SoundtrackAlbum",
    AlbumType.STUDIO: "StudioAlbum",
    AlbumType.COMPILATION: "CompilationAlbum",
    AlbumType.LIVE: "LiveAlbum",
}
RELEASE_TYPES = {AlbumType.EP: "EPRelease", AlbumType.SINGLE: "SingleRelease"}


def script(data, request):
    """A <script type="application/ld+json"> element holding the data, safe whatever the text in it.

    It carries the request's CSP nonce: the policy allows no inline script without one.
    """
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, separators=(",", ":"))
    return format_html(
        '<script type="application/ld+json" nonce="{}">{}</script>',
        request.csp_nonce,
        mark_safe(text.translate(SCRIPT_ESCAPES)),
    )


def absolute(request, obj_or_path):
    """The absolute URL; None for a row without a page address (catalog/models/links.py), which compact() drops."""
    path = obj_or_path if isinstance(obj_or_path, str) else obj_or_path.get_absolute_url()
    return request.build_absolute_uri(path) if path else None


def compact(data):
    """The dict without its empty values: schema.org readers take a missing property for unknown."""
    return {key: value for key, value in data.items() if value not in (None, "", [], {})}


def artist_ref(artist, request):
    """An artist where another thing names it: a MusicGroup or a Person, with its page."""
    kind = "MusicGroup" if artist.is_group else "Person"
    return compact({"@type": kind, "name": artist.name, "url": absolute(request, artist)})


def site_ref(request):
    return {"@type": "Organization", "name": settings.SITE_NAME, "url": absolute(request, reverse("catalog:home"))}


def website(request):
    return {"@context": CONTEXT, "@type": "WebSite", "name": settings.SITE_NAME,
            "url": absolute(request, reverse("catalog:home"))}


def image_of(field, request, alt=""):
    if not field:
        return None
    return compact({"@type": "ImageObject", "url": absolute(request, field.url), "caption": alt})


def music_album(album, request, additions=()):
    """A MusicAlbum from an album loaded with Album.objects.with_details(): its tracks, performers, label, genres;
    then the properties in `additions` (dicts), which other apps' parts of the album page give."""
    url = absolute(request, album)
    tracks = list(album.tracks.all())
    performers = {}  # in order of first appearance, each once
    recordings = []
    for position, track in enumerate(tracks, start=1):
        track_artists = [credit.artist for credit in track.track_artists.all()]
        for artist in track_artists:
            performers.setdefault(artist.pk, artist)
        recordings.append({
            "@type": "ListItem",
            "position": position,
            "item": compact({
                "@type": "MusicRecording",
                "name": track.title,
                "alternateName": track.alternative_title,
                "url": f"{url}#track-{track.disc}-{track.position}",
                "duration": format_iso_length(track.length),
                "byArtist": [artist_ref(artist, request) for artist in track_artists],
            }),
        })
    production_type = PRODUCTION_TYPES.get(album.album_type)
    if production_type is None and album.film_id:
        production_type = PRODUCTION_TYPES[AlbumType.SOUNDTRACK]  # an EP or single from a film
    data = compact({
        "@context": CONTEXT,
        "@type": "MusicAlbum",
        "@id": url,
        "url": url,
        "name": album.title,
        "description": album.description,
        "albumProductionType": f"https://schema.org/{production_type}" if production_type else None,
        "albumReleaseType": f"https://schema.org/{RELEASE_TYPES.get(album.album_type, 'AlbumRelease')}",
        # The sleeve's credit ("Various artists") is not an artist: name who performs on the tracks.
        "byArtist": [artist_ref(artist, request) for artist in performers.values()],
        "datePublished": album.release_date,
        "duration": format_iso_length(album.length),
        "genre": [genre.name for genre in album.genres.all()],
        "recordLabel": compact({
            "@type": "Organization", "name": album.label.name, "url": absolute(request, album.label),
        }) if album.label else None,
        "image": image_of(album.cover, request, album.cover_alt),
        "numTracks": len(tracks),
        "track": {"@type": "ItemList", "numberOfItems": len(tracks), "itemListElement": recordings} if tracks else None,
    })
    for properties in additions:
        data |= properties
    return data


def artist(artist, request):
    """A MusicGroup with its members, or a Person with the groups they play in (both prefetched by the view)."""
    data = {
        "@context": CONTEXT,
        **artist_ref(artist, request),
        "@id": absolute(request, artist),
        "alternateName": artist.original_name,
        "description": artist.disambiguation,
        "image": image_of(artist.image, request, artist.image_alt),
    }
    if artist.is_group:
        data |= {
            "foundingDate": artist.begin_date,
            "dissolutionDate": artist.end_date,
            "member": [artist_ref(membership.member, request) for membership in artist.memberships.all()],
        }
    else:
        data |= {
            "birthDate": artist.begin_date,
            "deathDate": artist.end_date,
            "memberOf": [artist_ref(membership.group, request) for membership in artist.group_memberships.all()],
        }
    return compact(data)


def film(film, request):
    """A Movie with its director, cast and composers, from the prefetched credits."""
    people = {role: [] for role in FilmRole}
    for credit in film.credits.all():
        people[credit.role].append(artist_ref(credit.artist, request))
    return compact({
        "@context": CONTEXT,
        "@type": "Movie",
        "@id": absolute(request, film),
        "url": absolute(request, film),
        "name": film.title,
        "description": film.description,
        "datePublished": film.release_date or str(film.year),
        "director": people[FilmRole.DIRECTOR],
        "author": people[FilmRole.WRITER],
        "producer": people[FilmRole.PRODUCER],
        "actor": people[FilmRole.CAST],
        "musicBy": people[FilmRole.COMPOSER],
        "sameAs": film.imdb_url,
    })


def label(label, request):
    return compact({
        "@context": CONTEXT,
        "@type": "Organization",
        "@id": absolute(request, label),
        "url": absolute(request, label),
        "name": label.name,
        "description": label.description,
        "sameAs": label.url,
    })


def genre(genre, request):
    return compact({
        "@context": CONTEXT,
        "@type": "CollectionPage",
        "url": absolute(request, genre),
        "name": f"{genre.name} soundtracks",
        "about": compact({"@type": "Thing", "name": genre.name, "description": genre.description}),
    })
