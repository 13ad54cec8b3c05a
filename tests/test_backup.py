"""Backup and restore (issue 6): a round trip gives back the same data and the same pages.

The tests empty the database for real (flush, then restore, committed), hence transactional_db.
"""

import datetime
import json
import os
import re
import stat
from urllib.parse import urlsplit
from xml.etree import ElementTree

import pytest
import reversion
from axes.models import AccessAttempt
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from catalog.management.commands import backup as backup_command
from catalog.management.commands.backup import content_counts
from catalog.models import Album
from reviews.models import Article, Publication, Review
from tests.factories import log_in_verified
from tests.test_loading import row_counts

pytestmark = pytest.mark.usefixtures("transactional_db")

EXACT_TIME = datetime.datetime(2024, 5, 1, 12, 0, 0, 500, tzinfo=datetime.UTC)
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
# Different on every response by design; everything else must be the same byte for byte.
VOLATILE = [
    re.compile(r'(nonce=")[^"]*(")'),
    re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]*(")'),
]


@pytest.fixture
def site(reception, django_user_model):
    """The shipped fixtures and what editors leave behind: an account in a group, the admin log, a revision."""
    maria = django_user_model.objects.create_user("maria", "maria@example.com", is_staff=True)
    maria.groups.add(Group.objects.get_or_create(name="Editor")[0])
    LogEntry.objects.create(
        user=maria, content_type=ContentType.objects.get_for_model(Album), object_id=str(reception.pk),
        object_repr=str(reception), action_flag=CHANGE, change_message='[{"changed": {"fields": ["Title"]}}]',
    )
    with reversion.create_revision():
        reversion.set_user(maria)
        reversion.set_comment("Checked the running order.")
        reversion.add_to_revision(reception)
    # A time with microseconds under a millisecond, which Django's own JSON would round away.
    Album.objects.filter(pk=reception.pk).update(updated_at=EXACT_TIME)
    return log_in_verified(Client(), maria)  # a session row, maria's last login, her authenticator app


def mask(text):
    for pattern in VOLATILE:
        text = pattern.sub(r"\1…\2", text)
    return text


def pages(editor):
    """Every page the sitemap lists, the feeds, a search and the album's admin history, masked."""
    visitor = Client()
    sitemap = visitor.get("/sitemap.xml")
    paths = [urlsplit(loc.text).path for loc in ElementTree.fromstring(sitemap.content).iter(f"{SITEMAP}loc")]
    album = Album.objects.get(slug="lost-in-translation")
    paths += [
        "/sitemap.xml", "/robots.txt", reverse("reviews:review-feed"), reverse("reviews:article-feed"),
        reverse("reviews:album-review-feed", kwargs={"slug": album.slug}), "/search/?q=honey",
        reverse("reviews:review-list") + "?sort=-score",
    ]
    assert len(paths) > 40  # the album, its 33 artists, film, label, genres, publications, critics, lists…
    rendered = {}
    for path in paths:
        response = visitor.get(path)
        assert response.status_code == 200, path
        rendered[path] = mask(response.content.decode())
    for path in (reverse("admin:catalog_album_history", args=[album.pk]), reverse("admin:catalog_album_changelist")):
        response = editor.get(path)
        assert response.status_code == 200, path
        rendered[path] = mask(response.content.decode())
    return rendered


def backup(path):
    call_command("backup", output=str(path), verbosity=0)
    return path.read_bytes()


def test_round_trip_through_an_empty_database_gives_the_same_data_and_pages(site, tmp_path, django_user_model):
    first = backup(tmp_path / "first.json")
    before = pages(site)

    call_command("flush", interactive=False, verbosity=0)
    assert content_counts() == {}
    assert not Album.objects.exists()
    call_command("restore", str(tmp_path / "first.json"), verbosity=0)

    assert backup(tmp_path / "second.json") == first
    assert Album.objects.get(slug="lost-in-translation").updated_at == EXACT_TIME
    cache.clear()  # pages come from the restored rows, not from anything cached before
    maria = django_user_model.objects.get(username="maria")
    log_in_verified(site, maria)  # sessions are not in a backup, nor is her authenticator app
    assert pages(site) == before
    assert maria.groups.filter(name="Editor").exists()


def test_replace_puts_back_exactly_what_was_backed_up(site, tmp_path, django_user_model):
    first = backup(tmp_path / "first.json")
    before = pages(site)
    album = Album.objects.get(slug="lost-in-translation")
    album.title = "Changed after the backup"
    album.save()
    Review.objects.filter(album=album).first().delete()
    Article.objects.all().delete()
    Publication.objects.create(name="Later", slug="later")
    django_user_model.objects.create_user("newcomer")

    call_command("restore", str(tmp_path / "first.json"), replace=True, verbosity=0)

    assert backup(tmp_path / "second.json") == first
    assert not Publication.objects.filter(slug="later").exists()
    assert not django_user_model.objects.filter(username="newcomer").exists()
    cache.clear()
    log_in_verified(site, django_user_model.objects.get(username="maria"))
    assert pages(site) == before


def test_restore_refuses_a_database_that_holds_content(site, tmp_path):
    backup(tmp_path / "first.json")
    before = row_counts()

    with pytest.raises(CommandError, match="already holds content.*--replace"):
        call_command("restore", str(tmp_path / "first.json"), verbosity=0)

    assert row_counts() == before


def test_a_broken_backup_leaves_the_database_as_it_was(site, tmp_path):
    """All or nothing, the emptying included: the flush is rolled back with the failed load."""
    objects = json.loads(backup(tmp_path / "good.json"))
    number, broken = next((index, obj) for index, obj in enumerate(objects, 1) if obj["model"] == "reviews.review")
    broken["fields"]["publication"] = ["no-such-publication"]
    (tmp_path / "broken.json").write_text(json.dumps(objects))
    before = row_counts()

    with pytest.raises(CommandError) as failure:
        call_command("restore", str(tmp_path / "broken.json"), replace=True, verbosity=0)

    assert f"broken.json, object {number} (reviews.review)" in str(failure.value)
    assert 'publication refers to reviews.publication ["no-such-publication"]' in str(failure.value)
    assert row_counts() == before
    assert Album.objects.get(slug="lost-in-translation").tracks.count() == 17


def test_a_backup_holds_content_users_and_history_but_no_logins_or_caches(site, tmp_path, monkeypatch):
    Client().post(reverse("admin:login"), {"username": "maria", "password": "not her password"})
    assert AccessAttempt.objects.exists()  # django-axes has recorded the failure
    monkeypatch.setattr(backup_command, "BACKUP_DIR", tmp_path / "backups")

    call_command("backup", verbosity=0)

    [path] = (tmp_path / "backups").iterdir()
    assert re.fullmatch(r"soundtrack-\d{8}-\d{6}\.json", path.name)
    objects = json.loads(path.read_text())
    models = {obj["model"] for obj in objects}
    assert {"catalog.album", "reviews.review", "reviews.albumscore", "auth.group", "auth.user",
            "admin.logentry", "reversion.revision", "reversion.version"} <= models
    assert not models & {"sessions.session", "contenttypes.contenttype", "auth.permission", "thumbnail.kvstore"}
    assert not any(model.startswith(("axes.", "otp_totp.", "otp_static.")) for model in models)  # No secret codes.
    # Users and groups are matched by name on restore; everything else keeps its primary key.
    assert all("pk" not in obj for obj in objects if obj["model"] in ("auth.user", "auth.group"))
    assert all("pk" in obj for obj in objects if obj["model"] not in ("auth.user", "auth.group"))
    assert next(obj for obj in objects if obj["model"] == "admin.logentry")["fields"]["user"] == ["maria"]


def test_backup_never_overwrites_a_file(site, tmp_path):
    path = tmp_path / "taken.json"
    path.write_text("keep me")

    with pytest.raises(CommandError, match="already exists"):
        call_command("backup", output=str(path), verbosity=0)

    assert path.read_text() == "keep me"


@pytest.fixture
def umask_022():
    previous = os.umask(0o022)  # the usual umask, under which open() makes files anyone may read
    yield
    os.umask(previous)


@pytest.mark.usefixtures("umask_022")
def test_a_backup_is_readable_by_its_owner_only(reception, tmp_path):
    """It holds password hashes and drafts: mode 0600 from its creation, never 0644 for a moment."""
    path = tmp_path / "private.json"
    stale = tmp_path / "private.json.partial"  # left by an interrupted backup, readable by anyone
    stale.write_text("half a backup")
    assert stat.S_IMODE(stale.stat().st_mode) == 0o644

    call_command("backup", output=str(path), verbosity=0)

    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert not stale.exists()
    assert json.loads(path.read_text())  # the whole backup, not the stale half


@pytest.mark.usefixtures("umask_022")
def test_the_default_backup_folder_is_private_too(tmp_path, monkeypatch):
    folder = tmp_path / "backups"
    monkeypatch.setattr(backup_command, "BACKUP_DIR", folder)

    call_command("backup", verbosity=0)

    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    [path] = folder.iterdir()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
