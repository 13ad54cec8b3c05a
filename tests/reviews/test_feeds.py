"""RSS and Atom feeds of new reviews and articles, per album and per artist, read as a feed reader does."""

import datetime
import html
import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse
from django.utils import timezone

from reviews.models import Article, Review
from tests import factories

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
DC = "{http://purl.org/dc/elements/1.1/}"
SCRIPT = "</script><script>alert(1)</script>"
FIXTURE_CRITICS = {"Heather Phares", "Gareth Dobson", "Frank Mojica", "Mark Richardson", "Andrew Unterberger"}
FIXTURE_PUBLICATIONS = {"AllMusic", "Drowned in Sound", "Consequence of Sound", "Pitchfork", "Stylus Magazine"}


def rss(client, url):
    """The RSS items as dicts of their elements' text; the title unescaped once, as readers take it for HTML."""
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    root = ET.fromstring(response.content)
    assert root.tag == "rss" and root.get("version") == "2.0"
    channel = root.find("channel")
    assert channel.findtext("title") and channel.findtext("link").startswith("http://testserver/")
    return [
        {
            "title": html.unescape(item.findtext("title")),
            "link": item.findtext("link"),
            "description": item.findtext("description"),
            "author": item.findtext(f"{DC}creator"),
            "pubdate": item.findtext("pubDate"),
        }
        for item in channel.findall("item")
    ]


def atom(client, url):
    """The Atom entries as dicts; titles there are plain text."""
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)
    assert root.tag == f"{ATOM}feed"
    assert root.findtext(f"{ATOM}id") and root.findtext(f"{ATOM}updated") and root.findtext(f"{ATOM}title")
    entries = []
    for entry in root.findall(f"{ATOM}entry"):
        # Atom requires an id, a title and an updated date on every entry.
        assert entry.findtext(f"{ATOM}id") and entry.findtext(f"{ATOM}updated")
        entries.append({
            "title": entry.findtext(f"{ATOM}title"),
            "link": entry.find(f"{ATOM}link").get("href"),
            "description": entry.findtext(f"{ATOM}summary"),
            "author": entry.findtext(f"{ATOM}author/{ATOM}name"),
            "pubdate": entry.findtext(f"{ATOM}published"),
        })
    return entries


READERS = [
    pytest.param(rss, "", id="rss"),
    pytest.param(atom, "-atom", id="atom"),
]


@pytest.mark.parametrize(("read", "suffix"), READERS)
def test_new_reviews_feed_has_the_fixtures_reviews(client, reception, read, suffix):
    items = read(client, reverse(f"reviews:review-feed{suffix}"))

    assert len(items) == 5
    assert {item["author"] for item in items} == FIXTURE_CRITICS
    assert {item["title"].split(": ")[-1].split(" by ")[0] for item in items} == FIXTURE_PUBLICATIONS
    pitchfork = next(item for item in items if item["author"] == "Mark Richardson")
    review = Review.objects.get(publication__slug="pitchfork")
    assert pitchfork["title"] == f"{reception.title}: Pitchfork by Mark Richardson"
    assert pitchfork["link"] == f"http://testserver{reception.get_absolute_url()}#review-{review.pk}"
    assert "<p>“the tracks hang together and flow relatively well”</p>" in pitchfork["description"]
    assert "Rated 6.3/10 (63 out of 100 on our scale)." in pitchfork["description"]
    stylus = next(item for item in items if item["author"] == "Andrew Unterberger")
    assert "Published in Stylus Magazine, 2003." in stylus["description"]


@pytest.mark.parametrize(("read", "suffix"), READERS)
def test_new_articles_feed_has_the_fixtures_article(client, reception, read, suffix):
    items = read(client, reverse(f"reviews:article-feed{suffix}"))

    (item,) = items
    article = Article.objects.get()
    assert item["title"] == "Lost in Translation Soundtrack: Music That Defined an Era"
    assert item["link"] == f"http://testserver{article.get_absolute_url()}"
    assert item["author"] == "Jhon Lennon"
    assert "a fan&#x27;s appreciation of the soundtrack" in item["description"].lower()
    assert item["pubdate"]


def test_feeds_are_latest_first_and_never_show_drafts(client):
    old = factories.ReviewFactory(album__title="Older")
    Review.objects.filter(pk=old.pk).update(created_at=timezone.now() - datetime.timedelta(days=2))
    factories.ReviewFactory(album__title="Newer")
    factories.ReviewFactory(album__title="Draft Review", draft=True)
    factories.ReviewFactory(album=factories.AlbumFactory(title="Draft Album", draft=True))
    factories.ArticleFactory(title="Out now")
    factories.ArticleFactory(title="A draft", draft=True)
    factories.ArticleFactory(title="Next week", published_at=timezone.now() + datetime.timedelta(days=7))

    titles = [item["title"].split(":")[0] for item in rss(client, reverse("reviews:review-feed"))]
    assert titles == ["Newer", "Older"]
    assert [item["title"] for item in atom(client, reverse("reviews:article-feed-atom"))] == ["Out now"]


@pytest.mark.parametrize(("read", "suffix"), READERS)
def test_album_feed_has_only_that_albums_reviews(client, reception, read, suffix):
    factories.ReviewFactory(album__title="Another album")

    items = read(client, reverse(f"reviews:album-review-feed{suffix}", args=[reception.slug]))

    assert len(items) == 5
    assert {item["author"] for item in items} == FIXTURE_CRITICS


@pytest.mark.parametrize("suffix", ["", "-atom"])
def test_album_feed_of_a_draft_or_unknown_album_is_not_found(client, suffix):
    draft = factories.AlbumFactory(draft=True)
    factories.ReviewFactory(album=draft)

    assert client.get(reverse(f"reviews:album-review-feed{suffix}", args=[draft.slug])).status_code == 404
    assert client.get(reverse(f"reviews:album-review-feed{suffix}", args=["no-such-album"])).status_code == 404


@pytest.mark.parametrize(("read", "suffix"), READERS)
def test_artist_feed_has_reviews_of_albums_they_perform_on_with_their_groups_too(client, reception, read, suffix):
    shields = rss(client, reverse("reviews:artist-review-feed", args=["kevin-shields"]))
    assert {item["author"] for item in shields} == FIXTURE_CRITICS

    # Kevin Shields plays on another album only as a member of My Bloody Valentine.
    group_album = factories.AlbumFactory(title="Loveless")
    track = factories.TrackFactory(album=group_album)
    factories.TrackArtistFactory(track=track, artist__slug="my-bloody-valentine")
    factories.ReviewFactory(album=group_album, critic__name="Someone New")
    factories.ReviewFactory(album__title="Not his", critic__name="Someone Else")

    items = read(client, reverse(f"reviews:artist-review-feed{suffix}", args=["kevin-shields"]))

    assert {item["author"] for item in items} == FIXTURE_CRITICS | {"Someone New"}
    assert len(items) == 6  # each review once, though he is on the album in person and with his band


def test_artist_feed_of_an_artist_on_no_reviewed_album_is_empty_and_unknown_is_not_found(client):
    artist = factories.ArtistFactory()
    assert rss(client, reverse("reviews:artist-review-feed", args=[artist.slug])) == []
    assert client.get(reverse("reviews:artist-review-feed", args=["nobody"])).status_code == 404


def test_feeds_escape_what_they_quote(client):
    album = factories.AlbumFactory(title=f"Rock & {SCRIPT}")
    factories.ReviewFactory(album=album, quote=f"<b>bold</b> {SCRIPT}", publication__name="A & B",
                            url="https://example.com/review?a=1&b=2")

    (item,) = rss(client, reverse("reviews:review-feed"))
    (entry,) = atom(client, reverse("reviews:review-feed-atom"))

    # The title reads as written (RSS titles are taken for HTML, Atom's are text).
    assert item["title"].startswith(f"Rock & {SCRIPT}: A & B by ")
    assert entry["title"] == item["title"]
    # The description is HTML in which the quote is text, not markup.
    for description in (item["description"], entry["description"]):
        assert "<script>" not in description and "<b>" not in description
        assert "&lt;b&gt;bold&lt;/b&gt; &lt;/script&gt;" in description
        assert '<a href="https://example.com/review?a=1&amp;b=2">Read the review</a>' in description
