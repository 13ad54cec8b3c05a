"""Articles: who may read them, the preview editors get, and a view count that counts each visitor once."""

import datetime
import threading
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from reviews.models import Article
from tests import factories
from tests.pages import parse

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36"
FIXTURE_ARTICLE = "lost-in-translation-soundtrack-music-that-defined-an-era"


def view_count(article):
    return Article.objects.values_list("view_count", flat=True).get(pk=article.pk)


def visit(client, article, user_agent=BROWSER):
    response = client.get(article.get_absolute_url(), headers={"user-agent": user_agent})
    return response.status_code, parse(response.content) if response.status_code == 200 else None


@pytest.mark.django_db
def test_the_fixture_article(visitor, reception):
    article = Article.objects.get(slug=FIXTURE_ARTICLE)

    status, root = visit(visitor, article)

    assert status == 200
    assert root.find("h1").text == "Lost in Translation Soundtrack: Music That Defined an Era"
    meta = root.find(class_="article-meta")
    assert meta.find(class_="article-meta__author").text == "Jhon Lennon"
    assert meta.find("time").text == "22 November 2026"
    assert "59 views" in meta.text  # the fixture's 58 and this visit
    assert view_count(article) == 59
    assert root.find(class_="preview-banner") is None
    # An apostrophe in the data, escaped in the HTML and read back as written.
    assert "A fan's appreciation of the soundtrack" in root.find(class_="lede").text
    aside = root.find("aside", class_="article-aside")
    assert aside.find("a", href=reception.get_absolute_url()) is not None
    assert "My Bloody Valentine" in aside.text and "Kevin Shields" in aside.text


@pytest.mark.django_db
def test_each_visit_counts_once(visitor):
    article = factories.ArticleFactory(view_count=0)
    for expected in (1, 2, 3):
        status, root = visit(visitor, article)
        assert status == 200
        assert f"{expected} view" in root.find(class_="article-meta").text
    assert view_count(article) == 3


@pytest.mark.django_db
@pytest.mark.parametrize(
    "user_agent",
    [
        "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
        "Googlebot/2.1",
        "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
        "curl/8.5.0",
        "python-requests/2.32.3",
    ],
)
def test_bots_are_not_counted(visitor, user_agent):
    article = factories.ArticleFactory(view_count=10)
    status, root = visit(visitor, article, user_agent)
    assert status == 200
    assert "10 views" in root.find(class_="article-meta").text
    assert view_count(article) == 10


@pytest.mark.django_db
def test_staff_are_not_counted(editor_client, reception):
    article = Article.objects.get(slug=FIXTURE_ARTICLE)
    status, root = visit(editor_client, article)
    assert status == 200
    assert "58 views" in root.find(class_="article-meta").text
    assert view_count(article) == 58
    assert root.find(class_="preview-banner") is None  # a published article is not a preview


@pytest.mark.django_db
def test_head_requests_are_not_counted(visitor):
    article = factories.ArticleFactory(view_count=10)
    assert visitor.head(article.get_absolute_url(), headers={"user-agent": BROWSER}).status_code == 200
    assert view_count(article) == 10


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


def fetch_all(url, count, user_agent=BROWSER):
    """`count` GETs of the URL, all let go at the same moment; their status codes."""
    start = threading.Barrier(count)

    def get(_):
        request = urllib.request.Request(url, headers={"User-Agent": user_agent})
        start.wait()
        with urllib.request.urlopen(request, timeout=30) as response:
            response.read()
            return response.status

    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(get, range(count)))


@pytest.mark.django_db(transaction=True)
def test_concurrent_views_are_all_counted(live_server):
    """Each request adds one in the database (UPDATE … SET view_count = view_count + 1): none is lost.

    On SQLite the test database lives in memory and the live server shares one connection, so this
    shows the view counts under concurrent requests; on PostgreSQL each request has its own connection
    and transaction, which is where a read-modify-write counter would lose updates.
    """
    article = factories.ArticleFactory(view_count=58)

    statuses = fetch_all(live_server.url + article.get_absolute_url(), VISITORS)

    assert statuses == [200] * VISITORS
    assert view_count(article) == 58 + VISITORS
    assert connection.vendor in ("postgresql", "sqlite")


@pytest.mark.django_db(transaction=True)
def test_concurrent_bot_views_are_not_counted(live_server):
    article = factories.ArticleFactory(view_count=58)
    statuses = fetch_all(live_server.url + article.get_absolute_url(), 10, user_agent="Googlebot/2.1")
    assert statuses == [200] * 10
    assert view_count(article) == 58
