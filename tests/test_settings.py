"""The settings as production runs them: checked by `manage.py` in a fresh process, not the test's own."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent


def manage(*args, env_changes, timeout=60):
    """Run manage.py in a new process with the test's environment minus DJANGO_* plus `env_changes`."""
    env = {name: value for name, value in os.environ.items() if not name.startswith("DJANGO_")}
    env.update(env_changes)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout
    )


def production_env(**extra):
    return {"DJANGO_SECRET_KEY": secrets.token_urlsafe(50), "DJANGO_ALLOWED_HOSTS": "example.com", **extra}


def test_deploy_check_passes_with_production_settings():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env_changes=production_env())
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
    assert "WARNING" not in result.stderr


SETTINGS_PROBE = """
from django.conf import settings
for name in ("SESSION_COOKIE_NAME", "CSRF_COOKIE_NAME", "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE",
             "SESSION_COOKIE_PATH", "CSRF_COOKIE_PATH", "SESSION_COOKIE_DOMAIN", "CSRF_COOKIE_DOMAIN",
             "SESSION_COOKIE_AGE", "SESSION_IDLE_TIMEOUT", "RATE_LIMITS"):
    print(name, getattr(settings, name))
"""


def probe(env_changes):
    result = manage("shell", "-c", SETTINGS_PROBE, env_changes=env_changes)
    assert result.returncode == 0, result.stderr
    return dict(line.split(" ", 1) for line in result.stdout.splitlines() if line)


def test_production_cookies_are_host_prefixed_secure_for_the_whole_site_and_without_a_domain():
    values = probe(production_env())
    assert values["SESSION_COOKIE_NAME"] == "__Host-sessionid"
    assert values["CSRF_COOKIE_NAME"] == "__Host-csrftoken"
    # What browsers demand of a __Host- cookie, or they drop it (and nobody could log in).
    assert values["SESSION_COOKIE_SECURE"] == values["CSRF_COOKIE_SECURE"] == "True"
    assert values["SESSION_COOKIE_PATH"] == values["CSRF_COOKIE_PATH"] == "/"
    assert values["SESSION_COOKIE_DOMAIN"] == values["CSRF_COOKIE_DOMAIN"] == "None"


def test_debug_cookies_keep_djangos_names():
    """Debug serves plain HTTP with cookies that are not Secure, which a __Host- cookie must be."""
    values = probe({"DJANGO_DEBUG": "1"})
    assert values["SESSION_COOKIE_NAME"] == "sessionid"
    assert values["CSRF_COOKIE_NAME"] == "csrftoken"


def test_session_limits_and_rate_limits_come_from_the_environment():
    defaults = probe(production_env())
    assert defaults["SESSION_COOKIE_AGE"] == str(8 * 60 * 60)
    assert defaults["SESSION_IDLE_TIMEOUT"] == str(60 * 60)
    assert defaults["RATE_LIMITS"] == str({"search": 30, "filter": 60})
    changed = probe(production_env(
        DJANGO_SESSION_HOURS="2", DJANGO_SESSION_IDLE_MINUTES="15",
        DJANGO_SEARCH_RATE_LIMIT="10", DJANGO_FILTER_RATE_LIMIT="0",
    ))
    assert changed["SESSION_COOKIE_AGE"] == str(2 * 60 * 60)
    assert changed["SESSION_IDLE_TIMEOUT"] == str(15 * 60)
    assert changed["RATE_LIMITS"] == str({"search": 10, "filter": 0})


def test_missing_secret_key_fails_fast_with_a_clear_message():
    result = manage("check", env_changes={})
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_debug_runs_without_a_secret_key():
    result = manage("check", env_changes={"DJANGO_DEBUG": "1"})
    assert result.returncode == 0, result.stderr


SQLITE_PROBE = """
from django.db import connection, transaction
with connection.cursor() as cursor:
    cursor.execute("PRAGMA journal_mode")
    print("journal_mode", cursor.fetchone()[0])
    cursor.execute("PRAGMA foreign_keys")
    print("foreign_keys", cursor.fetchone()[0])
print("transaction_mode", connection.settings_dict["OPTIONS"]["transaction_mode"])

# IMMEDIATE takes the write lock at BEGIN: a second writer is turned away before anything is written.
import sqlite3
with transaction.atomic():
    other = sqlite3.connect(connection.settings_dict["NAME"], timeout=0)
    try:
        other.execute("BEGIN IMMEDIATE")
        print("second_writer", "got the lock")
    except sqlite3.OperationalError as error:
        print("second_writer", error)
    finally:
        other.close()
"""


@pytest.mark.django_db
def test_sqlite_url_gives_wal_and_immediate_transactions(tmp_path):
    if connection.vendor != "sqlite":
        pytest.skip("checks the SQLite configuration; this run uses " + connection.vendor)
    database = tmp_path / "probe.sqlite3"
    result = manage(
        "shell", "-c", SQLITE_PROBE, env_changes={"DJANGO_DEBUG": "1", "DATABASE_URL": f"sqlite:///{database}"}
    )
    assert result.returncode == 0, result.stderr
    lines = dict(line.split(" ", 1) for line in result.stdout.splitlines() if line)
    assert lines["journal_mode"] == "wal"
    assert lines["foreign_keys"] == "1"
    assert lines["transaction_mode"] == "IMMEDIATE"
    assert lines["second_writer"] == "database is locked"
