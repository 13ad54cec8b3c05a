"""Fixtures shared by every test: test-safe settings, the editor and the Lost in Translation fixtures."""

from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command
from django.db import connections
from django.test import Client, override_settings

from catalog.models import Album
from tests.factories import log_in_verified

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "lost_in_translation.json"
RECEPTION_FIXTURE = FIXTURE.with_name("lost_in_translation_reception.json")


@pytest.fixture(scope="session", autouse=True)
def _test_settings(tmp_path_factory):
    """Run the production settings (debug off), changed only where a test process needs it.

    - Static files: the production storage reads a manifest that only `collectstatic` writes,
      so every `{% static %}` would raise; the plain storage resolves names without one.
    - Uploads go to a temporary MEDIA_ROOT, so covers saved by tests never land in the repository;
      STATIC_ROOT is an empty temporary folder, so WhiteNoise finds it without a collectstatic run.
    - SECURE_SSL_REDIRECT is off because the test client speaks plain HTTP: with it on, every
      request would answer 301 to https://. Passing secure=True to each request would work too,
      but would have to be repeated in every test; test_settings.py checks the real deploy setup.
    """
    with override_settings(
        STORAGES={
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        },
        MEDIA_ROOT=tmp_path_factory.mktemp("media"),
        STATIC_ROOT=tmp_path_factory.mktemp("static"),
        SECURE_SSL_REDIRECT=False,
    ):
        yield


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache, as the local-memory cache outlives a test: one test's rate-limit
    counts (soundtrack_site/middleware.py), all from 127.0.0.1, must not refuse the next test's searches."""
    cache.clear()


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix, tmp_path_factory):
    """On SQLite, test on a database file as the site runs, not Django's default in-memory database.

    In memory, the live server's request threads share one connection, and SQLite's shared cache
    answers concurrent writes with "database table is locked"; on a file, the WAL journal, IMMEDIATE
    transactions and busy timeout from settings apply, so concurrent requests are tested as served.
    Each xdist worker has its own temporary folder, hence its own file.
    """
    database = settings.DATABASES["default"]
    if connections["default"].vendor == "sqlite":
        database.setdefault("TEST", {})["NAME"] = str(tmp_path_factory.mktemp("database") / "test.sqlite3")


@pytest.fixture
def lost_in_translation(db):
    """The fixture the site ships with, loaded as `make` would load it; returns the album."""
    call_command("load_checked", str(FIXTURE), verbosity=0)
    return Album.objects.get(slug="lost-in-translation")


@pytest.fixture
def reception(lost_in_translation):
    """The album's reviews, lists, commentary and article, loaded after the album as `make` does; returns the album."""
    call_command("load_checked", str(RECEPTION_FIXTURE), verbosity=0)
    return lost_in_translation


@pytest.fixture
def editor(db, django_user_model):
    """A staff superuser. No password: tests log in with force_login, and hashing one costs ~0.3 s."""
    return django_user_model.objects.create_superuser(username="editor", email="editor@example.com", password=None)


@pytest.fixture
def editor_client(client, editor):
    """A test client logged in as a staff superuser, second factor given: the editors' view of the admin."""
    return log_in_verified(client, editor)


@pytest.fixture
def visitor():
    """An anonymous browser of its own: `client` is the editor's once a test asks for editor_client."""
    return Client()
