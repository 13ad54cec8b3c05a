"""A GET of any public page writes nothing to the database (issue 11).

Every statement the pages send goes through a wrapper (connection.execute_wrapper) that records each
INSERT, UPDATE or DELETE; for each page type the list must be empty, for a visitor and for an editor
looking at the public site. A page that wrote would be a write amplifier anyone could drive, would
stop a page cache from being used, and would fail on a read-only replica.
"""

import datetime
import re

import pytest
import time_machine
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from catalog.models import Album, Artist
from reviews.models import Article, BestOfList, Critic, Publication
from tests import factories
from tests.factories import artwork_bytes

pytestmark = pytest.mark.django_db

WRITE = re.compile(r"^\s*(INSERT|UPDATE|DELETE|REPLACE|MERGE)\b", re.IGNORECASE)
BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36"


class WriteRecorder:
    """An execute wrapper that keeps every writing statement sent through the connection."""

    def __init__(self):
        self.writes = []

    def __call__(self, execute, sql, params, many, context):
        if WRITE.match(sql):
            self.writes.append(sql)
        return execute(sql, params, many, context)


def writes_of(client, path):
    """The writing statements a GET of the path sends, after the page answered 200."""
    recorder = WriteRecorder()
    with connection.execute_wrapper(recorder):
        response = client.get(path, headers={"user-agent": BROWSER})
    assert response.status_code == 200, path
    return recorder.writes


def kevin_shields():
    return Artist.objects.get(slug="kevin-shields")


def album():
    return Album.objects.get(slug="lost-in-translation")


# One address of every public page type, filled by the shipped fixtures' objects.
PAGES = {
    "home": lambda: reverse("catalog:home"),
    "album-list": lambda: reverse("catalog:album-list"),
    "album-list-sorted": lambda: reverse("catalog:album-list") + "?sort=-score&genre=shoegaze",
    "album-detail": lambda: album().get_absolute_url(),
    "track-list": lambda: reverse("catalog:track-list"),
    "artist-list": lambda: reverse("catalog:artist-list"),
    "artist-detail": lambda: kevin_shields().get_absolute_url(),
    "label-list": lambda: reverse("catalog:label-list"),
    "label-detail": lambda: album().label.get_absolute_url(),
    "genre-list": lambda: reverse("catalog:genre-list"),
    "genre-detail": lambda: album().genres.first().get_absolute_url(),
    "film-list": lambda: reverse("catalog:film-list"),
    "film-detail": lambda: album().film.get_absolute_url(),
    "review-list": lambda: reverse("reviews:review-list") + "?sort=-score",
    "publication-list": lambda: reverse("reviews:publication-list"),
    "publication-detail": lambda: Publication.objects.get(slug="pitchfork").get_absolute_url(),
    "critic-list": lambda: reverse("reviews:critic-list"),
    "critic-detail": lambda: Critic.objects.filter(reviews__isnull=False).first().get_absolute_url(),
    "list-list": lambda: reverse("reviews:list-list"),
    "list-detail": lambda: BestOfList.objects.first().get_absolute_url(),
    "article-list": lambda: reverse("reviews:article-list"),
    "article-detail": lambda: Article.objects.first().get_absolute_url(),
    "methodology": lambda: reverse("reviews:methodology"),
    "search": lambda: reverse("search") + "?q=shields",
    "search-one-kind": lambda: reverse("search") + "?q=lost&kind=album",
    "review-feed": lambda: reverse("reviews:review-feed"),
    "review-feed-atom": lambda: reverse("reviews:review-feed-atom"),
    "article-feed": lambda: reverse("reviews:article-feed"),
    "article-feed-atom": lambda: reverse("reviews:article-feed-atom"),
    "album-review-feed": lambda: reverse("reviews:album-review-feed", kwargs={"slug": "lost-in-translation"}),
    "artist-review-feed": lambda: reverse("reviews:artist-review-feed", kwargs={"slug": "kevin-shields"}),
    "sitemap": lambda: reverse("sitemap"),
    "robots": lambda: reverse("robots"),
}


@pytest.mark.parametrize("name", PAGES)
def test_a_get_writes_nothing(reception, visitor, editor_client, name):
    path = PAGES[name]()
    assert writes_of(visitor, path) == []
    assert writes_of(visitor, path) == []  # nor the second time, with whatever the first left in caches
    assert writes_of(editor_client, path) == []  # nor an editor's look at the public page


@pytest.fixture
def pictured(reception):
    """The shipped fixtures with a sleeve and a portrait, so that pages draw thumbnails."""
    reception.cover_alt = "A violet sleeve."
    reception.cover.save("lost-in-translation.jpg", ContentFile(artwork_bytes(reception.title)))
    artist = kevin_shields()
    artist.image_alt = "A rust-red portrait."
    artist.image.save("kevin-shields.jpg", ContentFile(artwork_bytes(artist.name, size=(900, 1200), hue=10)))
    cache.clear()  # sorl's key-value store keeps thumbnails' names in the cache too, across tests
    return reception


PICTURED = ["home", "album-detail", "artist-detail", "search"]


@pytest.mark.xfail(strict=True, raises=AssertionError, reason=(
    "sorl-thumbnail makes a thumbnail on the first render that needs it and records it in its key-value "
    "store, the thumbnail_kvstore table (settings.THUMBNAIL_KVSTORE, cached_db): an INSERT during a GET. "
    "Making them when the image is uploaded, or a key-value store outside the database, is the uploads' "
    "and thumbnails' owner's call."
))
@pytest.mark.parametrize("name", PICTURED)
def test_the_first_get_of_a_page_with_a_new_image_writes_nothing(pictured, visitor, name):
    assert writes_of(visitor, PAGES[name]()) == []


@pytest.mark.parametrize("name", PICTURED)
def test_once_its_thumbnails_exist_a_page_with_images_writes_nothing(pictured, visitor, editor_client, name):
    path = PAGES[name]()
    visitor.get(path)  # makes the thumbnails (the case above)
    assert writes_of(visitor, path) == []
    cache.clear()  # another process, or a restarted one: the names are read back from the table
    assert writes_of(editor_client, path) == []


def test_the_recorder_sees_a_write(reception, visitor):
    """The wrapper is not blind: the article beacon, a POST, does write."""
    recorder = WriteRecorder()
    article = Article.objects.first()
    with connection.execute_wrapper(recorder):
        response = visitor.post(reverse("reviews:article-view", kwargs={"slug": article.slug}),
                                headers={"user-agent": BROWSER, "origin": "http://testserver"})
    assert response.status_code == 204
    assert len(recorder.writes) == 1 and "view_count" in recorder.writes[0]


@pytest.mark.parametrize("name", ["album-detail", "album-list-sorted", "critic-detail", "sitemap"])
def test_a_get_after_a_scheduled_review_goes_live_writes_nothing(reception, visitor, name):
    goes_live = timezone.now() + datetime.timedelta(days=1)
    factories.ReviewFactory(album=reception, publish_at=goes_live, critic=Critic.objects.filter(reviews__isnull=False)
                            .first())
    with time_machine.travel(goes_live + datetime.timedelta(minutes=1)):
        assert writes_of(visitor, PAGES[name]()) == []
