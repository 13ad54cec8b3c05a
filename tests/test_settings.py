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
