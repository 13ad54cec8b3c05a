"""The review list costs the same number of queries with 10 albums' reviews as with 2,000 albums', filtered or not."""

from urllib.parse import urlencode

import pytest
from django.urls import reverse

from tests import factories
from tests.catalog.test_queries import count_queries, get_within

pytestmark = pytest.mark.django_db

REVIEWS = reverse("reviews:review-list")
FILTERS = [
    {},
    {"publication": "bulk-publication-1", "critic": "bulk-critic-1", "score_min": "50", "score_max": "90",
     "date_from": "2000", "date_to": "2010-12", "sort": "-score"},
]


def test_review_list_costs_the_same_with_2000_albums(client, django_assert_max_num_queries):
    factories.bulk_catalog(10)
    urls = [f"{REVIEWS}?{urlencode(params)}" for params in FILTERS]
    budgets = {url: count_queries(client, url) for url in urls}

    factories.bulk_catalog(1990, start=10)
    for url in urls:
        root = get_within(client, url, budgets[url], django_assert_max_num_queries)
        assert len(root.find_all("li", class_="review")) == 30, url
