"""Anonymous searches and filtered lists are limited per address and minute (soundtrack_site/middleware.py)."""

import datetime

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from soundtrack_site.middleware import hit
from tests.pages import text_of

pytestmark = pytest.mark.django_db

SEARCH = reverse("search")
ALBUMS = reverse("catalog:album-list")
TRACKS = reverse("catalog:track-list")
REVIEWS = reverse("reviews:review-list")
# Ten seconds into a minute: the window, and so Retry-After, ends 50 seconds later.
START = datetime.datetime(2031, 5, 6, 12, 0, 10, tzinfo=datetime.UTC)


@pytest.fixture
def small_limits(settings):
    settings.RATE_LIMITS = {"search": 3, "filter": 3}


def test_the_31st_search_in_a_minute_is_refused_until_the_next_minute(client):
    with time_machine.travel(START, tick=False) as clock:
        for number in range(30):
            assert client.get(SEARCH, {"q": f"honey {number}"}).status_code == 200
        response = client.get(SEARCH, {"q": "honey"})
        assert response.status_code == 429
        assert response["Retry-After"] == "50"
        assert "Please try again in 50 seconds." in text_of(response)
        assert "no-store" in response["Cache-Control"]

        clock.shift(datetime.timedelta(seconds=49))
        assert client.get(SEARCH, {"q": "honey"})["Retry-After"] == "1"
        clock.shift(datetime.timedelta(seconds=1))  # 12:01:00, a new minute.
        assert client.get(SEARCH, {"q": "honey"}).status_code == 200


def test_the_61st_filtered_list_in_a_minute_is_refused(client):
    with time_machine.travel(START, tick=False) as clock:
        for number in range(60):
            assert client.get(ALBUMS, {"page": number % 3 + 1}).status_code == 200
        response = client.get(ALBUMS, {"sort": "title"})
        assert response.status_code == 429
        assert response["Retry-After"] == "50"
        clock.shift(datetime.timedelta(seconds=50))
        assert client.get(ALBUMS, {"sort": "title"}).status_code == 200


def test_the_three_list_pages_share_one_count_and_search_has_its_own(client, small_limits):
    with time_machine.travel(START, tick=False):
        assert client.get(ALBUMS, {"sort": "title"}).status_code == 200
        assert client.get(TRACKS, {"sort": "-length"}).status_code == 200
        assert client.get(REVIEWS, {"sort": "-date"}).status_code == 200
        for url in (ALBUMS, TRACKS, REVIEWS):
            assert client.get(url, {"page": "2"}).status_code == 429
        assert client.get(SEARCH, {"q": "honey"}).status_code == 200


def test_pages_without_a_query_string_are_not_counted(client, small_limits):
    with time_machine.travel(START, tick=False):
        for _request in range(5):
            for url in (SEARCH, ALBUMS, TRACKS, REVIEWS):
                assert client.get(url).status_code == 200
        assert client.get(ALBUMS, {"sort": "title"}).status_code == 200


def test_each_address_has_its_own_count(small_limits):
    with time_machine.travel(START, tick=False):
        first, second = Client(REMOTE_ADDR="198.51.100.7"), Client(REMOTE_ADDR="203.0.113.9")
        for _request in range(3):
            assert first.get(SEARCH, {"q": "honey"}).status_code == 200
        assert first.get(SEARCH, {"q": "honey"}).status_code == 429
        assert second.get(SEARCH, {"q": "honey"}).status_code == 200


def test_behind_a_trusted_proxy_the_address_it_saw_counts(settings, small_limits):
    settings.TRUSTED_PROXIES = 1
    with time_machine.travel(START, tick=False):
        proxy = Client(REMOTE_ADDR="10.0.0.2")
        for number in range(3):
            # What the client wrote to the left of the proxy's entry changes nothing.
            forged = f"192.0.2.{number}, 198.51.100.7"
            assert proxy.get(SEARCH, {"q": "honey"}, HTTP_X_FORWARDED_FOR=forged).status_code == 200
        assert proxy.get(SEARCH, {"q": "honey"}, HTTP_X_FORWARDED_FOR="198.51.100.7").status_code == 429
        assert proxy.get(SEARCH, {"q": "honey"}, HTTP_X_FORWARDED_FOR="203.0.113.9").status_code == 200


def test_staff_are_not_limited(client, editor, small_limits):
    with time_machine.travel(START, tick=False):
        client.force_login(editor)  # In the travelled time: a session from now would have expired by 2031.
        for _request in range(6):
            assert client.get(SEARCH, {"q": "honey"}).status_code == 200
            assert client.get(ALBUMS, {"sort": "title"}).status_code == 200


def test_the_refusal_costs_no_query(client, small_limits, django_assert_num_queries):
    with time_machine.travel(START, tick=False):
        for _request in range(3):
            client.get(ALBUMS, {"sort": "title"})
        with django_assert_num_queries(0):
            response = client.get(ALBUMS, {"sort": "title"})
    assert response.status_code == 429
    assert "Too many requests" in text_of(response)


def test_a_limit_of_zero_turns_it_off(client, settings):
    settings.RATE_LIMITS = {"search": 0, "filter": 3}
    with time_machine.travel(START, tick=False):
        for _request in range(40):
            assert client.get(SEARCH, {"q": "honey"}).status_code == 200


def test_hit_counts_within_fixed_windows():
    with time_machine.travel(START, tick=False) as clock:
        assert hit("beacon:198.51.100.7", 2, window=10) is None
        assert hit("beacon:198.51.100.7", 2, window=10) is None
        assert hit("beacon:198.51.100.7", 2, window=10) == 10  # 12:00:10 starts a 10-second window.
        assert hit("beacon:203.0.113.9", 2, window=10) is None
        clock.shift(datetime.timedelta(seconds=9.5))
        assert hit("beacon:198.51.100.7", 2, window=10) == 1  # Never 0: Retry-After 0 would mean now.
        clock.shift(datetime.timedelta(seconds=0.5))
        assert hit("beacon:198.51.100.7", 2, window=10) is None
