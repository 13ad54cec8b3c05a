"""Articles: who may read them, the preview editors get, and a view count that counts each visitor once a day.

The page writes nothing; its script records the view with a beacon, a POST to reviews:article-view.
"""

import datetime
import threading
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import time_machine
from django.contrib.staticfiles import finders
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from reviews.models import Article
from tests import factories
from tests.pages import parse

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36"
FIXTURE_ARTICLE = "lost-in-translation-soundtrack-music-that-defined-an-era"
OWN_ORIGIN = "http://testserver"


@pytest.fixture(autouse=True)
def _forget_visitors():
    """Who has read what today lives in the cache, which outlives a test's database."""
    cache.clear()
    yield
    cache.clear()


def view_count(article):
    return Article.objects.values_list("view_count", flat=True).get(pk=article.pk)


def visit(client, article, user_agent=BROWSER):
    response = client.get(article.get_absolute_url(), headers={"user-agent": user_agent})
    return response.status_code, parse(response.content) if response.status_code == 200 else None


def beacon_url(article):
    return reverse("reviews:article-view", kwargs={"slug": article.slug})


def beacon(client, article, user_agent=BROWSER, origin=OWN_ORIGIN, fetch_site="same-origin", **extra):
    """The POST that navigator.sendBeacon sends from the article's page: no body, no CSRF token."""
    headers = {"user-agent": user_agent}
    if origin is not None:
        headers["origin"] = origin
    if fetch_site is not None:
        headers["sec-fetch-site"] = fetch_site
    return client.post(beacon_url(article), headers=headers, **extra)


@pytest.mark.django_db
def test_the_fixture_article(visitor, reception):
    article = Article.objects.get(slug=FIXTURE_ARTICLE)

    status, root = visit(visitor, article)

    assert status == 200
    assert root.find("h1").text == "Lost in Translation Soundtrack: Music That Defined an Era"
    meta = root.find(class_="article-meta")
    assert meta.find(class_="article-meta__author").text == "Jhon Lennon"
    assert meta.find("time").text == "22 November 2026"
    assert "58 views" in meta.text  # the fixture's; this visit is recorded by the page's beacon
    assert root.find(class_="preview-banner") is None
    # An apostrophe in the data, escaped in the HTML and read back as written.
    assert "A fan's appreciation of the soundtrack" in root.find(class_="lede").text
    aside = root.find("aside", class_="article-aside")
    assert aside.find("a", href=reception.get_absolute_url()) is not None
    assert "My Bloody Valentine" in aside.text and "Kevin Shields" in aside.text

    assert beacon(visitor, article).status_code == 204
    assert view_count(article) == 59
    assert "59 views" in visit(visitor, article)[1].find(class_="article-meta").text


@pytest.mark.django_db
def test_the_page_counts_nothing_and_sets_no_cookie_but_carries_the_beacon(visitor):
    article = factories.ArticleFactory(view_count=10)

    response = visitor.get(article.get_absolute_url(), headers={"user-agent": BROWSER})

    assert response.status_code == 200
    assert view_count(article) == 10
    assert not response.cookies
    scripts = parse(response.content).find_all("script")
    [script] = [script for script in scripts if script.attrs.get("type") != "application/ld+json"]
    assert script.attrs["src"] == "/static/js/article-view.js"  # same-origin: CSP script-src 'self'
    assert script.attrs["data-view-url"] == beacon_url(article)
    assert not "".join(child for child in script.children if isinstance(child, str)).strip()  # no inline code
    assert "navigator.sendBeacon(url)" in Path(finders.find("js/article-view.js")).read_text()


@pytest.mark.django_db
def test_a_visitor_counts_once_a_day_per_article(visitor):
    article, other_article = factories.ArticleFactory(view_count=0), factories.ArticleFactory(view_count=0)
    start = datetime.datetime(2027, 3, 2, 9, 0, tzinfo=datetime.UTC)
    with time_machine.travel(start, tick=False) as clock:
        assert [beacon(visitor, article).status_code for _ in range(3)] == [204, 204, 204]
        assert view_count(article) == 1
        beacon(visitor, other_article)
        assert view_count(other_article) == 1

        clock.move_to(start.replace(hour=23, minute=59))
        beacon(visitor, article)
        assert view_count(article) == 1
        clock.move_to(start + datetime.timedelta(days=1))
        beacon(visitor, article)
        beacon(visitor, article)
        assert view_count(article) == 2


@pytest.mark.django_db
def test_another_browser_or_address_is_another_visitor(visitor, settings):
    article = factories.ArticleFactory(view_count=0)
    beacon(visitor, article)
    beacon(visitor, article, user_agent=BROWSER.replace("Linux x86_64", "Macintosh"))
    beacon(visitor, article, REMOTE_ADDR="198.51.100.7")
    assert view_count(article) == 3

    # Behind a proxy of ours, the address the proxy saw (soundtrack_site/middleware.py), not one the client wrote.
    settings.TRUSTED_PROXIES = 1
    beacon(visitor, article, HTTP_X_FORWARDED_FOR="203.0.113.9")
    beacon(visitor, article, HTTP_X_FORWARDED_FOR="192.0.2.1, 203.0.113.9")
    assert view_count(article) == 4


@pytest.mark.django_db
def test_the_beacon_needs_no_session_and_no_csrf_token():
    article = factories.ArticleFactory(view_count=10)
    response = beacon(Client(enforce_csrf_checks=True), article)
    assert response.status_code == 204
    assert not response.cookies
    assert response["Cache-Control"] == "no-store"
    assert view_count(article) == 11


@pytest.mark.django_db
@pytest.mark.parametrize(
    "user_agent",
    [
        "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
        "Googlebot/2.1",
        "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
        "curl/8.5.0",
        "python-requests/2.32.3",
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/131.0 Safari/537.36",
    ],
)
def test_bots_are_not_counted(visitor, user_agent):
    article = factories.ArticleFactory(view_count=10)
    status, root = visit(visitor, article, user_agent)
    assert status == 200
    assert "10 views" in root.find(class_="article-meta").text
    assert beacon(visitor, article, user_agent).status_code == 204
    assert view_count(article) == 10


@pytest.mark.django_db
def test_staff_are_not_counted(editor_client, reception):
    article = Article.objects.get(slug=FIXTURE_ARTICLE)
    status, root = visit(editor_client, article)
    assert status == 200
    assert "58 views" in root.find(class_="article-meta").text
    assert root.find(class_="preview-banner") is None  # a published article is not a preview
    assert beacon(editor_client, article).status_code == 204
    assert view_count(article) == 58


@pytest.mark.django_db
def test_get_and_head_are_refused_and_count_nothing(visitor):
    article = factories.ArticleFactory(view_count=10)
    assert visitor.get(beacon_url(article), headers={"user-agent": BROWSER}).status_code == 405
    assert visitor.head(beacon_url(article), headers={"user-agent": BROWSER}).status_code == 405
    assert visitor.head(article.get_absolute_url(), headers={"user-agent": BROWSER}).status_code == 200
    assert view_count(article) == 10


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("origin", "fetch_site"),
    [
        ("https://elsewhere.example", "cross-site"),  # another site's page posting here
        ("https://elsewhere.example", None),  # the same from an old browser
        (OWN_ORIGIN, "cross-site"),
        (OWN_ORIGIN, "same-site"),  # a neighbouring subdomain
        ("null", "cross-site"),  # a sandboxed frame
        (None, None),  # not from a page: a script
    ],
)
def test_posts_from_elsewhere_are_refused(visitor, origin, fetch_site):
    article = factories.ArticleFactory(view_count=10)
    response = beacon(visitor, article, origin=origin, fetch_site=fetch_site)
    assert response.status_code == 403
    assert view_count(article) == 10


@pytest.mark.django_db
def test_an_article_visitors_cannot_see_records_no_view(visitor, editor_client):
    draft = factories.ArticleFactory(draft=True, view_count=0)
    scheduled = factories.ArticleFactory(published_at=timezone.now() + datetime.timedelta(days=1), view_count=0)
    for article in (draft, scheduled):
        assert beacon(visitor, article).status_code == 404
        status, root = visit(editor_client, article)  # the preview
        assert status == 200 and root.find("script", src="/static/js/article-view.js") is None
        assert view_count(article) == 0
    assert visitor.post(reverse("reviews:article-view", kwargs={"slug": "no-such-article"}),
                        headers={"origin": OWN_ORIGIN, "user-agent": BROWSER}).status_code == 404


@pytest.mark.django_db
def test_draft_article_is_hidden_from_visitors_and_previewed_by_staff(visitor, editor_client):
    article = factories.ArticleFactory(draft=True, title="Work in Progress", view_count=0)

    assert visit(visitor, article)[0] == 404

    status, root = visit(editor_client, article)
    assert status == 200
    banner = root.find(class_="preview-banner")
    assert banner is not None
    assert "Preview — not published." in banner.text
    assert "This article is a draft: only editors can see it." in banner.text
    assert root.find("title").text.startswith("Preview: Work in Progress")
    assert root.find("meta", name="robots").attrs["content"] == "noindex"
    assert view_count(article) == 0


@pytest.mark.django_db
def test_scheduled_article_is_hidden_from_visitors_and_previewed_by_staff(visitor, editor_client):
    goes_live = timezone.now() + datetime.timedelta(days=2)
    article = factories.ArticleFactory(published_at=goes_live)

    assert visit(visitor, article)[0] == 404
    index = parse(visitor.get(reverse("reviews:article-list")).content)
    assert index.find("a", href=article.get_absolute_url()) is None

    status, root = visit(editor_client, article)
    assert status == 200
    banner = root.find(class_="preview-banner").text
    assert "Preview — not published." in banner
    assert f"This article is scheduled for {goes_live:%-d %B %Y, %H:%M} UTC" in banner


@pytest.mark.django_db
def test_articles_index_latest_first_and_published_only(visitor):
    now = timezone.now()
    older = factories.ArticleFactory(title="Older", published_at=now - datetime.timedelta(days=30))
    newer = factories.ArticleFactory(title="Newer", published_at=now - datetime.timedelta(days=1),
                                     author__name="Jhon Lennon")
    factories.ArticleFactory(title="A Draft", draft=True)
    factories.ArticleFactory(title="Scheduled", published_at=now + datetime.timedelta(days=1))

    root = parse(visitor.get(reverse("reviews:article-list")).content)
    titles = [item.find("h2").text for item in root.find_all("li", class_="teaser")]
    assert titles == ["Newer", "Older"]
    assert root.find("a", href=newer.get_absolute_url()) is not None
    assert root.find("a", href=older.get_absolute_url()) is not None
    assert "By Jhon Lennon" in root.find_all("li", class_="teaser")[0].text


# Concurrent visitors -----------------------------------------------------------------------------------

VISITORS = 50


def post_all(url, user_agents, origin):
    """A beacon POST for each user agent, all let go at the same moment; their status codes."""
    start = threading.Barrier(len(user_agents))

    def post(user_agent):
        request = urllib.request.Request(url, data=b"", method="POST",
                                         headers={"User-Agent": user_agent, "Origin": origin})
        start.wait()
        with urllib.request.urlopen(request, timeout=30) as response:
            response.read()
            return response.status

    with ThreadPoolExecutor(max_workers=len(user_agents)) as pool:
        return list(pool.map(post, user_agents))


@pytest.mark.django_db(transaction=True)
def test_concurrent_views_are_all_counted(live_server):
    """Each visitor adds one in the database (UPDATE … SET view_count = view_count + 1): none is lost.

    On SQLite the live server's threads take turns at the database's write lock; on PostgreSQL each
    request has its own connection and transaction, which is where a read-modify-write counter would lose
    updates.
    """
    article = factories.ArticleFactory(view_count=58)

    statuses = post_all(live_server.url + beacon_url(article),
                        [f"{BROWSER} visitor/{n}" for n in range(VISITORS)], live_server.url)

    assert statuses == [204] * VISITORS
    assert view_count(article) == 58 + VISITORS
    assert connection.vendor in ("postgresql", "sqlite")


@pytest.mark.django_db(transaction=True)
def test_one_visitors_concurrent_beacons_count_once(live_server):
    article = factories.ArticleFactory(view_count=58)
    statuses = post_all(live_server.url + beacon_url(article), [BROWSER] * 20, live_server.url)
    assert statuses == [204] * 20
    assert view_count(article) == 59


@pytest.mark.django_db(transaction=True)
def test_concurrent_bot_views_are_not_counted(live_server):
    article = factories.ArticleFactory(view_count=58)
    statuses = post_all(live_server.url + beacon_url(article), [f"Googlebot/2.{n}" for n in range(10)],
                        live_server.url)
    assert statuses == [204] * 10
    assert view_count(article) == 58
