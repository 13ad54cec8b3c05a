"""Browsing costs the same number of queries with 10 albums as with 2,000, filtered or not.

The counts are measured on a small catalog, then asserted on a large one built with bulk_create
(tests.factories.bulk_catalog), so a filter or a card that queries per row shows up here.
"""

from urllib.parse import urlencode

import pytest
from django.conf import settings
from django.urls import reverse

from tests import factories
from tests.catalog.test_queries import count_queries, get_within

pytestmark = pytest.mark.django_db

ALBUMS = reverse("catalog:album-list")
TRACKS = reverse("catalog:track-list")

# What each page shows when full, and the filters that still leave many rows on the large catalog.
PAGES = [
    (ALBUMS, {}, ("article", "card"), settings.ALBUMS_PER_PAGE),
    (ALBUMS, {"sort": "-score"}, ("article", "card"), settings.ALBUMS_PER_PAGE),
    (ALBUMS, {"genre": "bulk-genre-1", "label": "bulk-label-1", "type": "score", "decade": "2000",
              "year_min": "2001", "year_max": "2008", "band": "favorable", "has_reviews": "true",
              "artist": "Bulk Member", "sort": "-release_date"}, ("article", "card"), None),
    (ALBUMS, {"film": "Bulk film 6", "sort": "-reviews"}, ("article", "card"), 1),
    (TRACKS, {}, ("a", "track-title"), 50),
    (TRACKS, {"artist": "bulk member", "length_min": "3:00", "length_max": "9:00", "sort": "-length"},
     ("a", "track-title"), 50),
    (TRACKS, {"album": "Bulk album 00006"}, ("a", "track-title"), 3),
]


def url_of(path, params):
    return f"{path}?{urlencode(params)}" if params else path


def test_browsing_costs_the_same_with_2000_albums(client, django_assert_max_num_queries):
    factories.bulk_catalog(10)
    budgets = {}
    for path, params, (tag, css_class), _full in PAGES:
        url = url_of(path, params)
        budgets[url] = count_queries(client, url)
        assert get_within(client, url, budgets[url], django_assert_max_num_queries).find(tag, class_=css_class), url

    factories.bulk_catalog(1990, start=10)
    for path, params, (tag, css_class), full in PAGES:
        url = url_of(path, params)
        root = get_within(client, url, budgets[url], django_assert_max_num_queries)
        shown = len(root.find_all(tag, class_=css_class))
        assert shown == full if full else shown > 1, url
