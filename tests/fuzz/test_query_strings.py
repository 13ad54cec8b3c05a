"""Fuzzing the query strings of every list, filter, search and feed URL: nothing a visitor types is a 500.

Query strings are drawn by tests/fuzz/strategies.py: each page's own parameters with plausible and
hostile values (any Unicode, huge numbers, empty values, bytes that are not UTF-8), unknown names and
repeated names. Filtered lists and paginated pages must still answer 200 (a bad value is a form error,
a bad page number the nearest page); the sitemap may answer 404 for a page it does not have.
"""

import pytest
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from catalog.filters import decade_choices
from catalog.models import AlbumType
from reviews.models import Band
from tests import factories
from tests.fuzz.strategies import query_strings

pytestmark = pytest.mark.django_db

PAGE = {"page": ["1", "2", "last"]}
ALBUM_FILTERS = {
    **PAGE,
    "film": ["Lost in Translation", "lost in translation"],
    "artist": ["Kevin Shields", "My Bloody Valentine"],
    "genre": ["shoegaze", "dream-pop"],
    "label": ["emperor-norton"],
    "type": AlbumType.values,
    "decade": [value for value, _label in decade_choices()],
    "year_min": ["2003", "1000", "9999"],
    "year_max": ["2003", "2004", "9999"],
    "band": Band.values,
    "has_reviews": ["true", "false"],
    "sort": ["title", "-release_date", "release_date", "-score", "-reviews"],
}
TRACK_FILTERS = {
    **PAGE,
    "artist": ["Kevin Shields", "Phoenix"],
    "album": ["Lost in Translation: Music from the Motion Picture Soundtrack"],
    "length_min": ["3:00", "0:00", "10:00:00"],
    "length_max": ["4:30", "1:00:00"],
    "sort": ["album", "-length", "length"],
}
REVIEW_FILTERS = {
    **PAGE,
    "publication": ["pitchfork", "allmusic"],
    "critic": ["mark-richardson"],
    "score_min": ["0", "50", "100"],
    "score_max": ["0", "63", "100"],
    "date_from": ["2003", "2003-09", "2003-09-09"],
    "date_to": ["2004", "2003-12-31"],
    "sort": ["-date", "-score", "score"],
}
SEARCH = {"q": ["lost", "kevin shields", "\"just like honey\"", "-remix", "sébastien"], "kind": [
    "albums", "tracks", "artists", "films", "critics", "publications", "lists", "articles",
], **PAGE}

# Pages whose query string chooses what they list: each is fuzzed on its own.
FILTERED = [
    ("catalog:album-list", ALBUM_FILTERS),
    ("catalog:track-list", TRACK_FILTERS),
    ("reviews:review-list", REVIEW_FILTERS),
    ("search", SEARCH),
]
# Pages that read only a page number, and feeds that read nothing: (URL name, slug), fuzzed together.
PAGINATED = [
    ("catalog:home", None),
    ("catalog:album-detail", "lost-in-translation"),
    *[(f"catalog:{kind}-list", None) for kind in ("artist", "label", "genre", "film")],
    *[(f"reviews:{kind}-list", None) for kind in ("publication", "critic", "list", "article")],
    ("catalog:artist-detail", "kevin-shields"),
    ("catalog:label-detail", "emperor-norton"),
    ("catalog:genre-detail", "shoegaze"),
    ("catalog:film-detail", "lost-in-translation"),
    ("reviews:publication-detail", "pitchfork"),
    ("reviews:critic-detail", "mark-richardson"),
    ("reviews:review-feed", None),
    ("reviews:review-feed-atom", None),
    ("reviews:article-feed", None),
    ("reviews:album-review-feed", "lost-in-translation"),
    ("reviews:artist-review-feed-atom", "kevin-shields"),
]


def url_of(name, slug=None):
    return reverse(name, kwargs={"slug": slug} if slug else None)


@pytest.fixture
def catalog(reception):
    """The shipped album and its reception, plus enough albums and reviews that lists have a second page."""
    label = factories.LabelFactory(slug="emperor-norton")
    for number in range(28):
        album = factories.AlbumFactory(title=f"Fuzz album {number}", label=label, draft=number % 10 == 0)
        for _review in range(1 + (number < 6)):
            factories.ReviewFactory(album=album)
    return reception


@pytest.mark.parametrize(("name", "params"), FILTERED, ids=[name for name, _params in FILTERED])
@given(data=st.data())
def test_no_filter_or_search_query_is_a_500(catalog, visitor, name, params, data):
    url = f"{url_of(name)}?{data.draw(query_strings(params), label='query string')}"

    response = visitor.get(url)

    assert response.status_code == 200, f"{url} answered {response.status_code}"


@given(page=st.sampled_from(PAGINATED), query=query_strings(PAGE))
@settings(max_examples=150)
def test_no_page_number_is_a_500(catalog, visitor, page, query):
    url = f"{url_of(*page)}?{query}"

    response = visitor.get(url)

    assert response.status_code == 200, f"{url} answered {response.status_code}"


@given(query=query_strings({"p": ["1", "2"]}))
@settings(max_examples=30)
def test_no_sitemap_page_is_a_500(catalog, visitor, query):
    response = visitor.get(f"{reverse('sitemap')}?{query}")

    assert response.status_code in (200, 404)


@pytest.mark.parametrize("name", ["reviews:album-review-feed", "reviews:artist-review-feed", "catalog:album-detail"])
@given(slug=st.from_regex(r"\A[-a-zA-Z0-9_]{1,80}\Z"))
@settings(max_examples=20)
def test_no_slug_is_a_500(catalog, visitor, name, slug):
    response = visitor.get(url_of(name, slug))

    assert response.status_code in (200, 404)


ADMIN_LISTS = {
    "admin:catalog_album_changelist": {
        "q": ["lost", "CAT-0001"], "o": ["1", "-2", "3.1"], "p": ["1", "2"], "status__exact": ["draft", "published"],
        "album_type__exact": AlbumType.values, "featured__exact": ["0", "1"], "genres__id__exact": ["1"],
        "label__id__exact": ["1"], "all": [""],
    },
    "admin:catalog_track_changelist": {
        "q": ["alone", "kevin"], "o": ["1", "-4"], "p": ["1"], "is_hidden__exact": ["0", "1"],
        "album__status__exact": ["draft", "published"],
    },
    "admin:reviews_review_changelist": {
        "q": ["pitchfork", "lost"], "o": ["1", "-5"], "p": ["1"], "status__exact": ["draft", "published"],
        "scale__exact": ["stars", "10", "letter"], "band": [*Band.values, "none"], "publication__id__exact": ["1"],
    },
}


@pytest.mark.parametrize("name", ADMIN_LISTS)
@given(data=st.data())
@settings(max_examples=60)
def test_no_admin_list_query_is_a_500(catalog, editor_client, name, data):
    """The editors' lists too: a bad filter sends the admin back to the list with ?e=1; NUL is a 400
    (soundtrack_site/admin_input.py: PostgreSQL refuses it in a lookup, which was a 500 before)."""
    url = f"{url_of(name)}?{data.draw(query_strings(ADMIN_LISTS[name]), label='query string')}"

    response = editor_client.get(url)

    assert response.status_code in (200, 302, 400), f"{url} answered {response.status_code}"
