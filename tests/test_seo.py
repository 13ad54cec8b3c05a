"""What search engines and link previews read: sitemap.xml, robots.txt, the description, canonical URL,
Open Graph and Twitter card tags, feed links and the JSON-LD of every kind of page."""

import datetime
import json
import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse
from django.utils import timezone

from catalog.models import Album, Artist, Film, Genre, Label
from reviews.models import Article, BestOfList, Critic, Publication
from tests import factories
from tests.catalog.test_queries import count_queries
from tests.pages import get_page

pytestmark = pytest.mark.django_db

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
SCRIPT = "</script><script>alert(1)</script>"
FIXTURE_ARTICLE = "lost-in-translation-soundtrack-music-that-defined-an-era"


def absolute(path):
    return f"http://testserver{path}"


def sitemap(client):
    """{location: lastmod or None} of every URL in sitemap.xml."""
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    urls = ET.fromstring(response.content).findall(f"{SITEMAP}url")
    return {url.findtext(f"{SITEMAP}loc"): url.findtext(f"{SITEMAP}lastmod") for url in urls}


def json_ld(root):
    """The parsed contents of every JSON-LD script on the page."""
    scripts = root.find_all("script", type="application/ld+json")
    return [json.loads("".join(child for child in script.children if isinstance(child, str))) for script in scripts]


def only_json_ld(root, kind):
    (data,) = json_ld(root)
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == kind
    return data


# sitemap.xml and robots.txt ----------------------------------------------------------------------------


def test_sitemap_lists_every_published_page_with_lastmod(client, reception):
    urls = sitemap(client)

    pages = [
        *(reverse(f"catalog:{name}") for name in ["home", "album-list", "track-list", "artist-list", "film-list",
                                                  "genre-list", "label-list"]),
        *(reverse(f"reviews:{name}") for name in ["review-list", "publication-list", "critic-list", "list-list",
                                                  "article-list", "methodology"]),
        reception.get_absolute_url(),
        *(obj.get_absolute_url() for model in (Artist, Film, Label, Genre, Publication, Critic, BestOfList, Article)
          for obj in model.objects.all()),
    ]
    assert {absolute(path) for path in pages} <= set(urls)
    assert Artist.objects.count() == 33 and BestOfList.objects.count() == 3 and Article.objects.count() == 1

    today = timezone.now().date().isoformat()
    album_lastmod = datetime.date.fromisoformat(urls[absolute(reception.get_absolute_url())])
    assert album_lastmod == max(reception.updated_at, reception.score.updated_at).date()
    article = Article.objects.get(slug=FIXTURE_ARTICLE)
    assert urls[absolute(article.get_absolute_url())] == article.published_at.date().isoformat()
    for obj in [*Label.objects.all(), *Genre.objects.all(), *Film.objects.all(), *Critic.objects.all()]:
        assert urls[absolute(obj.get_absolute_url())] <= today  # dated by their albums or reviews
    # Pages of anchors (#review-…) are not pages: the reviews are in their album's page.
    assert not any("#" in url for url in urls)


def test_sitemap_never_lists_a_draft(client):
    published = factories.AlbumFactory(title="Out Now")
    draft_album = factories.AlbumFactory(title="Secret Album", draft=True)
    published_list = factories.BestOfListFactory(published="2019-02-14")
    draft_list = factories.BestOfListFactory(draft=True)
    published_article = factories.ArticleFactory()
    draft_article = factories.ArticleFactory(draft=True)
    scheduled = factories.ArticleFactory(published_at=timezone.now() + datetime.timedelta(days=3))

    urls = sitemap(client)

    for obj in (published, published_list, published_article):
        assert absolute(obj.get_absolute_url()) in urls
    for obj in (draft_album, draft_list, draft_article, scheduled):
        assert absolute(obj.get_absolute_url()) not in urls
    assert urls[absolute(published_list.get_absolute_url())] == "2019-02-14"


def test_sitemap_dates_an_album_by_its_reviews_too(client):
    """The album page shows its reception: a new review changes the page, and its lastmod."""
    album = factories.AlbumFactory()
    long_ago = timezone.now() - datetime.timedelta(days=400)
    Album.objects.filter(pk=album.pk).update(updated_at=long_ago, publish_at=long_ago)  # update(): no auto_now
    assert sitemap(client)[absolute(album.get_absolute_url())] == long_ago.date().isoformat()

    factories.ReviewFactory(album=album)

    assert sitemap(client)[absolute(album.get_absolute_url())] == timezone.now().date().isoformat()


def test_robots_txt_allows_all_but_the_admin_and_names_the_sitemap(client):
    response = client.get("/robots.txt")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert "User-agent: *" in lines
    assert "Disallow: /admin/" in lines
    assert "Sitemap: http://testserver/sitemap.xml" in lines


def test_robots_txt_names_the_sitemap_on_the_host_it_was_asked_for(client, settings):
    settings.ALLOWED_HOSTS = ["soundtracks.example"]
    response = client.get("/robots.txt", headers={"host": "soundtracks.example", "x-forwarded-proto": "https"})
    assert "Sitemap: https://soundtracks.example/sitemap.xml" in response.content.decode().splitlines()


# The head of every page: description, canonical URL, Open Graph, Twitter card, feeds -----------------------


def head_of(client, url, **params):
    return get_page(client, url, **params).find("head")


def meta(head, **attrs):
    element = head.find("meta", **attrs)
    return element.attrs["content"] if element is not None else None


def page_urls(reception):
    article = Article.objects.get(slug=FIXTURE_ARTICLE)
    return {
        "home": reverse("catalog:home"),
        "album": reception.get_absolute_url(),
        "artist": Artist.objects.get(slug="kevin-shields").get_absolute_url(),
        "film": reception.film.get_absolute_url(),
        "label": reception.label.get_absolute_url(),
        "genre": Genre.objects.get(slug="shoegaze").get_absolute_url(),
        "list": BestOfList.objects.get(slug="pitchfork-50-best-movie-soundtracks").get_absolute_url(),
        "article": article.get_absolute_url(),
        "publication": Publication.objects.get(slug="pitchfork").get_absolute_url(),
        "critic": Critic.objects.get(slug="mark-richardson").get_absolute_url(),
        "album-list": reverse("catalog:album-list"),
        "track-list": reverse("catalog:track-list"),
        "review-list": reverse("reviews:review-list"),
        "methodology": reverse("reviews:methodology"),
    }


@pytest.mark.parametrize("kind", ["home", "album", "artist", "film", "label", "genre", "list", "article",
                                  "publication", "critic", "album-list", "track-list", "review-list",
                                  "methodology"])
def test_every_page_has_a_canonical_url_open_graph_and_a_twitter_card(client, reception, kind):
    url = page_urls(reception)[kind]
    head = head_of(client, url)

    canonical = head.find("link", rel="canonical").attrs["href"]
    assert canonical == absolute(url)
    assert meta(head, property="og:url") == canonical
    assert meta(head, property="og:site_name") == "Soundtrack Site"
    assert meta(head, property="og:title")
    assert meta(head, property="og:type")
    description = meta(head, name="description")
    assert description
    assert meta(head, property="og:description") == meta(head, name="twitter:description") == description
    assert meta(head, name="twitter:card") == "summary"
    assert meta(head, name="twitter:title") == meta(head, property="og:title")


def test_entity_pages_name_their_subject(client, reception):
    urls = page_urls(reception)
    expected = {
        "album": ("Lost in Translation: Music from the Motion Picture Soundtrack", "music.album"),
        "artist": ("Kevin Shields", "profile"),
        "film": ("Lost in Translation", "video.movie"),
        "article": ("Lost in Translation Soundtrack: Music That Defined an Era", "article"),
        "list": ("The 50 Best Movie Soundtracks of All Time", "website"),
    }
    for kind, (title, og_type) in expected.items():
        head = head_of(client, urls[kind])
        assert (meta(head, property="og:title"), meta(head, property="og:type")) == (title, og_type), kind
    head = head_of(client, urls["article"])
    assert meta(head, property="article:published_time") == "2026-11-22T00:00:00+00:00"


def test_the_canonical_url_keeps_the_page_number_and_nothing_else(client):
    factories.AlbumFactory.create_batch(30)
    url = reverse("catalog:album-list")

    assert head_of(client, url, page="2", utm_source="x").find("link", rel="canonical").attrs["href"] == (
        absolute(f"{url}?page=2")
    )
    assert head_of(client, url, page="1").find("link", rel="canonical").attrs["href"] == absolute(url)
    album = factories.AlbumFactory()
    head = head_of(client, album.get_absolute_url(), ref="newsletter")
    assert head.find("link", rel="canonical").attrs["href"] == absolute(album.get_absolute_url())


def test_a_cover_is_the_album_pages_image(client):
    album = factories.AlbumFactory(with_cover=True)
    head = head_of(client, album.get_absolute_url())

    image = meta(head, property="og:image")
    assert image.startswith("http://testserver/") and image.endswith(album.cover.url)
    assert meta(head, name="twitter:image") == image
    assert meta(head, property="og:image:alt") == album.cover_alt
    assert (meta(head, property="og:image:width"), meta(head, property="og:image:height")) == ("32", "32")
    assert only_json_ld(get_page(client, album.get_absolute_url()), "MusicAlbum")["image"]["url"] == image


def test_the_feeds_are_advertised(client, reception):
    urls = page_urls(reception)

    def feeds(url):
        links = head_of(client, url).find_all("link", rel="alternate")
        return {(link.attrs["type"], link.attrs["href"]) for link in links}

    site_wide = {
        ("application/rss+xml", reverse("reviews:review-feed")),
        ("application/atom+xml", reverse("reviews:review-feed-atom")),
        ("application/rss+xml", reverse("reviews:article-feed")),
        ("application/atom+xml", reverse("reviews:article-feed-atom")),
    }
    assert feeds(urls["home"]) == site_wide
    assert feeds(urls["album"]) == site_wide | {
        ("application/rss+xml", reverse("reviews:album-review-feed", args=[reception.slug])),
        ("application/atom+xml", reverse("reviews:album-review-feed-atom", args=[reception.slug])),
    }
    assert feeds(urls["artist"]) == site_wide | {
        ("application/rss+xml", reverse("reviews:artist-review-feed", args=["kevin-shields"])),
        ("application/atom+xml", reverse("reviews:artist-review-feed-atom", args=["kevin-shields"])),
    }


# JSON-LD ---------------------------------------------------------------------------------------------------


def test_the_album_page_describes_a_music_album_with_tracks_rating_and_reviews(client, reception):
    album = only_json_ld(get_page(client, reception.get_absolute_url()), "MusicAlbum")

    assert album["name"] == "Lost in Translation: Music from the Motion Picture Soundtrack"
    assert album["url"] == absolute(reception.get_absolute_url())
    assert album["albumProductionType"] == "https://schema.org/SoundtrackAlbum"
    assert album["albumReleaseType"] == "https://schema.org/AlbumRelease"
    assert album["datePublished"] == "2003-09-09"
    assert album["genre"] == ["Dream pop", "Shoegaze"]
    assert album["recordLabel"] == {"@type": "Organization", "name": "Emperor Norton Records",
                                    "url": absolute(reception.label.get_absolute_url())}
    assert album["duration"] == "PT53M48S"

    # "Various artists" on the sleeve: the performers are the tracks' artists, each once.
    performers = {artist["name"]: artist["@type"] for artist in album["byArtist"]}
    assert performers["Kevin Shields"] == "Person" and performers["My Bloody Valentine"] == "MusicGroup"
    assert len(album["byArtist"]) == len(performers) == 12

    assert album["numTracks"] == 17
    tracks = album["track"]["itemListElement"]
    assert [item["position"] for item in tracks] == list(range(1, 18))
    recordings = [item["item"] for item in tracks]
    assert {recording["@type"] for recording in recordings} == {"MusicRecording"}
    assert recordings[10]["name"] == "Sometimes"
    assert recordings[10]["byArtist"] == [{"@type": "MusicGroup", "name": "My Bloody Valentine",
                                           "url": absolute("/artists/my-bloody-valentine/")}]
    assert recordings[10]["url"] == absolute(f"{reception.get_absolute_url()}#track-1-11")
    assert "duration" not in recordings[10]  # the fixture knows no track lengths

    assert album["aggregateRating"] == {
        "@type": "AggregateRating", "ratingValue": 67, "bestRating": 100, "worstRating": 0,
        "ratingCount": 3, "reviewCount": 5,
    }
    reviews = {review["publisher"]["name"]: review for review in album["review"]}
    assert len(album["review"]) == 5
    assert {review["@type"] for review in album["review"]} == {"Review"}
    assert reviews["Pitchfork"]["author"] == {"@type": "Person", "name": "Mark Richardson",
                                              "url": absolute("/critics/mark-richardson/")}
    assert reviews["Pitchfork"]["reviewRating"] == {"@type": "Rating", "ratingValue": 63, "bestRating": 100,
                                                    "worstRating": 0, "name": "6.3/10"}
    assert reviews["Stylus Magazine"]["reviewRating"]["ratingValue"] == 58
    assert reviews["Stylus Magazine"]["datePublished"] == "2003"
    assert "reviewRating" not in reviews["AllMusic"]  # unrated
    assert reviews["AllMusic"]["description"] == "Perfectly defined in its hazy beauty"


def test_track_lengths_are_iso_8601_durations(client):
    track = factories.TrackFactory(length=datetime.timedelta(minutes=4, seconds=5))
    factories.TrackFactory(album=track.album, length=datetime.timedelta(hours=1, seconds=7))
    factories.TrackFactory(album=track.album, length=None)

    album = only_json_ld(get_page(client, track.album.get_absolute_url()), "MusicAlbum")
    durations = [item["item"].get("duration") for item in album["track"]["itemListElement"]]
    assert durations == ["PT4M5S", "PT1H7S", None]


def test_an_album_without_scored_reviews_has_no_aggregate_rating(client):
    album = factories.AlbumFactory(album_type="compilation")
    factories.ReviewFactory(album=album, unscored=True, critic=None)
    factories.ReviewFactory(album=album, draft=True)

    data = only_json_ld(get_page(client, album.get_absolute_url()), "MusicAlbum")

    assert "aggregateRating" not in data
    (review,) = data["review"]  # the draft is not there
    assert review["author"] == review["publisher"]  # unsigned: by the publication
    assert data["albumProductionType"] == "https://schema.org/CompilationAlbum"
    assert "track" not in data and data["numTracks"] == 0


def test_json_ld_is_safe_against_script_in_the_data(client):
    album = factories.AlbumFactory(title=f"Title {SCRIPT} & more", description=f"Notes {SCRIPT}")
    factories.ReviewFactory(album=album, quote=f"Quote {SCRIPT}")
    track = factories.TrackFactory(album=album, title=SCRIPT)
    factories.TrackArtistFactory(track=track, artist__name=f"Band {SCRIPT}")

    response = client.get(album.get_absolute_url())
    html = response.content.decode()

    assert "</script><script>" not in html
    assert "<script>alert" not in html
    data = only_json_ld(get_page(client, album.get_absolute_url()), "MusicAlbum")
    assert data["name"] == f"Title {SCRIPT} & more"
    assert data["review"][0]["description"] == f"Quote {SCRIPT}"
    assert data["track"]["itemListElement"][0]["item"]["name"] == SCRIPT
    assert data["byArtist"][0]["name"] == f"Band {SCRIPT}"
    assert "\\u003C/script\\u003E" in html


def test_artist_pages_describe_a_person_or_a_group(client, reception):
    shields = only_json_ld(get_page(client, "/artists/kevin-shields/"), "Person")
    assert shields["name"] == "Kevin Shields"
    assert shields["memberOf"] == [{"@type": "MusicGroup", "name": "My Bloody Valentine",
                                    "url": absolute("/artists/my-bloody-valentine/")}]

    band = only_json_ld(get_page(client, "/artists/my-bloody-valentine/"), "MusicGroup")
    assert band["member"] == [{"@type": "Person", "name": "Kevin Shields", "url": absolute("/artists/kevin-shields/")}]


def test_the_film_page_describes_a_movie(client, reception):
    film = only_json_ld(get_page(client, reception.film.get_absolute_url()), "Movie")
    assert film["name"] == "Lost in Translation"
    assert film["datePublished"] == "2003-09-12"
    assert [person["name"] for person in film["director"]] == ["Sofia Coppola"]
    assert "Bill Murray" in [person["name"] for person in film["actor"]]
    assert film["sameAs"] == "https://www.imdb.com/title/tt0335266/"


def test_a_best_of_list_page_is_an_item_list_at_its_ranks(client, reception):
    best_of = BestOfList.objects.get(slug="pitchfork-50-best-movie-soundtracks")
    data = only_json_ld(get_page(client, best_of.get_absolute_url()), "ItemList")

    assert data["name"] == "The 50 Best Movie Soundtracks of All Time"
    assert data["itemListOrder"] == "https://schema.org/ItemListOrderAscending"
    (entry,) = data["itemListElement"]
    assert entry["@type"] == "ListItem"
    assert entry["position"] == best_of.entries.get().rank
    assert entry["item"]["@type"] == "MusicAlbum"
    assert entry["item"]["url"] == absolute(reception.get_absolute_url())

    unranked = only_json_ld(get_page(client, "/lists/empire-20-soundtracks-that-defined-the-2000s/"), "ItemList")
    assert unranked["itemListOrder"] == "https://schema.org/ItemListUnordered"
    assert [entry["position"] for entry in unranked["itemListElement"]] == [1]


def test_the_article_page_describes_an_article(client, reception):
    article = Article.objects.get(slug=FIXTURE_ARTICLE)
    data = only_json_ld(get_page(client, article.get_absolute_url()), "Article")

    assert data["headline"] == "Lost in Translation Soundtrack: Music That Defined an Era"
    assert data["author"] == {"@type": "Person", "name": "Jhon Lennon"}
    assert data["datePublished"] == "2026-11-22T00:00:00+00:00"
    assert data["publisher"] == {"@type": "Organization", "name": "Soundtrack Site", "url": absolute("/")}
    assert [album["name"] for album in data["about"]] == [reception.title]
    assert "Kevin Shields" in [artist["name"] for artist in data["mentions"]]


@pytest.mark.parametrize(("kind", "schema_type"), [
    ("home", "WebSite"), ("label", "Organization"), ("genre", "CollectionPage"),
    ("publication", "Organization"), ("critic", "Person"),
])
def test_other_pages_json_ld_parses(client, reception, kind, schema_type):
    data = only_json_ld(get_page(client, page_urls(reception)[kind]), schema_type)
    assert data["url"].startswith("http://testserver/")


def test_pages_without_a_subject_have_no_json_ld(client):
    assert json_ld(get_page(client, reverse("catalog:album-list"))) == []


# Query budgets -----------------------------------------------------------------------------------------------


def grow(count):
    """`count` of everything the sitemap and the feeds list: reviewed albums by one artist, lists, articles."""
    artist = factories.ArtistFactory(name="Kevin Shields")
    for _ in range(count):
        track = factories.TrackFactory(album=factories.AlbumFactory(film=factories.FilmFactory(),
                                                                    genres=[factories.GenreFactory()]))
        factories.TrackArtistFactory(track=track, artist=artist)
        factories.ReviewFactory(album=track.album)
        factories.ReviewFactory(album=track.album, critic=None, stars=True)
        factories.ListEntryFactory(album=track.album)
        factories.ArticleFactory(albums=[track.album])


@pytest.mark.parametrize("url", [
    "/sitemap.xml", "/robots.txt", "/reviews/feed/", "/reviews/feed/atom/", "/articles/feed/", "/articles/feed/atom/",
    "/artists/kevin-shields/reviews/feed/", "/artists/kevin-shields/reviews/feed/atom/",
])
def test_sitemap_and_feeds_cost_the_same_queries_with_more_data(client, django_assert_max_num_queries, url):
    grow(1)
    budget = count_queries(client, url)

    grow(12)
    with django_assert_max_num_queries(budget):
        response = client.get(url)
    assert response.status_code == 200
    listed = sum(response.content.count(tag) for tag in (b"<item>", b"<entry>", b"<url>"))
    assert url == "/robots.txt" or listed >= 13
