"""Health probes, and pages while the database cannot be reached (issue 6, Done means 5).

"Unreachable" is made real: the connection's settings point at a port nothing listens on (PostgreSQL)
or at a file that cannot be opened (SQLite), and the open connection is closed, so the next query must
connect again and fails as it would with the server down. Closing the connection rules out the test
transaction of `db`, hence transactional_db; the settings are put back in a `finally`.
"""

import contextlib
import logging
import socket
import time
import urllib.error
import urllib.request

import pytest
from django.db import OperationalError, connection
from django.test import Client, RequestFactory
from django.urls import reverse

from catalog.models import Artist
from reviews.models import Article
from soundtrack_site import health
from tests.factories import log_in_verified

pytestmark = pytest.mark.usefixtures("transactional_db")

LIMIT_SECONDS = 2


def closed_port():
    """A local port on which nothing listens (bound for a moment by the system's choice, then freed)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def database_unreachable(tmp_path):
    """Point the database settings at nothing until the block ends; put them back whatever happens.

    The settings dict is shared by every thread's connection (the live server's too).
    """
    settings_dict = connection.settings_dict
    saved = dict(settings_dict)
    if connection.vendor == "postgresql":
        settings_dict.update(HOST="127.0.0.1", PORT=closed_port())
    else:
        settings_dict["NAME"] = str(tmp_path / "no-such-folder" / "db.sqlite3")
    connection.close()
    try:
        yield
    finally:
        settings_dict.update(saved)
        connection.close()


def timed_get(client, url):
    started = time.monotonic()
    response = client.get(url)
    return response, time.monotonic() - started


@pytest.fixture
def urls(reception):
    """Pages of every kind, each of which reads the database; the last is an album that does not exist."""
    return [
        reverse("catalog:home"),
        reception.get_absolute_url(),
        Artist.objects.get(slug="kevin-shields").get_absolute_url(),
        reverse("catalog:album-list") + "?decade=2000",
        reverse("reviews:review-list"),
        Article.objects.get().get_absolute_url(),
        reverse("search") + "?q=honey",
        reverse("sitemap"),
        reverse("reviews:review-feed"),
        "/albums/no-such-album/",
    ]


def test_healthz_answers_without_any_query(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain"
    assert response.content == b"ok\n"
    assert "no-store" in response["Cache-Control"]


def test_probes_are_not_redirected_to_https(settings):
    """Probes reach the app over plain HTTP; pages still go to HTTPS."""
    settings.SECURE_SSL_REDIRECT = True  # as in production (the tests' settings turn it off)
    client = Client()  # made after the change: SecurityMiddleware reads its settings once
    assert client.get("/healthz").status_code == 200
    assert client.get("/readyz").status_code == 200
    assert client.get("/").status_code == 301


def test_readyz_answers_200_when_the_database_answers(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.content == b"ok\n"
    assert "no-store" in response["Cache-Control"]


def test_without_the_database_pages_answer_503_quickly_and_service_resumes(urls, editor, tmp_path, caplog):
    # Django's test client re-raises a view's exception by default; a server answers with the handler's page.
    visitor, editor_browser = Client(raise_request_exception=False), Client(raise_request_exception=False)
    log_in_verified(editor_browser, editor)  # a session cookie: the session and the user are read from the database

    with database_unreachable(tmp_path), caplog.at_level(logging.ERROR):
        for client, url in [(visitor, url) for url in urls] + [(editor_browser, "/"), (editor_browser, "/admin/")]:
            response, seconds = timed_get(client, url)
            assert response.status_code == 503, url
            assert seconds < LIMIT_SECONDS, url
            assert response["Retry-After"] == "30"
            assert "no-store" in response["Cache-Control"]
            assert response["Content-Type"] == "text/html; charset=utf-8"
            assert b"Between tracks" in response.content
            assert b"<link" not in response.content and b"<script" not in response.content  # needs nothing else
            assert "Content-Security-Policy" in response  # still under the site's headers

        ready, seconds = timed_get(visitor, "/readyz")
        assert (ready.status_code, ready["Retry-After"], ready.content) == (503, "30", b"database unavailable\n")
        assert seconds < LIMIT_SECONDS
        assert visitor.get("/healthz").status_code == 200  # alive: nothing to restart

    logged = [entry for entry in caplog.records if entry.exc_info and issubclass(entry.exc_info[0], OperationalError)]
    assert {record.name for record in logged} == {"django.request", "soundtrack_site.health"}
    assert any(record.getMessage() == f"Service Unavailable: {urls[0]}" for record in logged)

    # The database is back: the same clients get their pages, the editor still logged in, with no restart.
    for url in urls[:-1]:
        assert visitor.get(url).status_code == 200, url
    assert visitor.get("/albums/no-such-album/").status_code == 404
    assert editor_browser.get("/admin/").status_code == 200
    assert visitor.get("/readyz").status_code == 200


def test_a_running_server_recovers_by_itself(live_server, reception, tmp_path):
    """Over real HTTP: the server's own connection is lost, the database stays away, then comes back."""

    def get(path):
        started = time.monotonic()
        try:
            with urllib.request.urlopen(live_server.url + path, timeout=10) as response:
                return response.status, response.headers, time.monotonic() - started
        except urllib.error.HTTPError as error:
            return error.code, error.headers, time.monotonic() - started

    assert get("/")[0] == 200  # the server thread now holds a connection, kept open on PostgreSQL
    if connection.vendor == "postgresql":
        # As in a database restart: the server side ends every other session on the test database.
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
    with database_unreachable(tmp_path):
        for path in ("/", reception.get_absolute_url(), "/readyz"):
            status, headers, seconds = get(path)
            assert (status, headers["Retry-After"]) == (503, "30"), path
            assert seconds < LIMIT_SECONDS, path
        assert get("/healthz")[0] == 200
    for path in ("/", reception.get_absolute_url(), "/readyz"):
        assert get(path)[0] == 200, path


def test_handler500_keeps_the_500_page_for_other_errors():
    request = RequestFactory().get("/")
    try:
        raise ValueError("not the database")
    except ValueError:
        response = health.server_error(request)
    assert response.status_code == 500
    assert "Retry-After" not in response
    try:
        raise OperationalError("connection refused")
    except OperationalError:
        response = health.server_error(request)
    assert (response.status_code, response["Retry-After"]) == (503, "30")
