"""Write the site's data to a timestamped JSON file under backups/ (README: Backup and restore).

What a backup holds, and so what `restore` expects to find empty (content_counts), is decided here, for
every installed app through the app registry. A backup is one JSON fixture that `manage.py restore` loads
with load_checked (all or nothing, every object validated). Rows keep their primary keys: an album's
stored score is keyed by the album's, and revision history and the admin log point at objects by theirs,
so a copy that renumbered rows would attach them to the wrong objects. That is safe because a restore goes
only into a database without content (or one it empties first). References are written as natural keys
(slugs, usernames, app and model names): content types and permissions are numbered differently in every
database.
"""

import contextlib
import json
import os

from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.utils import timezone

from catalog.serializers import ExactEncoder

BACKUP_DIR = settings.BASE_DIR / "backups"

# Left out: what migrate makes (content types, permissions), caches and logins (sorl-thumbnail's
# key-value store, sessions), django-axes' login failures and lockouts, which hold visitors'
# addresses and matter for minutes, and the second-factor devices: their keys and backup codes, in a file
# beside the password hashes, would undo the second factor for whoever holds the file (staff set theirs
# up again after a restore). Everything else is in, new apps' tables too.
LEFT_OUT = {"contenttypes", "auth.permission", "sessions", "thumbnail", "axes", "otp_totp", "otp_static"}

# Matched by name, not by number: every migrated database already has the groups (soundtrack_site/roles.py
# makes them after each migrate) and may have the `make run` editor; their numbers differ from the backup's.
BY_NAME = ["auth.group", "auth.user"]


def backed_up_by_key():
    """The models whose rows a backup keeps with their primary keys, in a stable order."""
    return [
        model for model in apps.get_models()
        if not model._meta.proxy
        and model._meta.app_label not in LEFT_OUT
        and model._meta.label_lower not in LEFT_OUT | set(BY_NAME)
    ]


def content_counts(using="default"):
    """{model label: rows} of the models a restore would fill by primary key, where the database has rows."""
    counts = {model._meta.label_lower: model._base_manager.using(using).count() for model in backed_up_by_key()}
    return {label: count for label, count in counts.items() if count}


def dump(using="default"):
    """Every backed-up row as fixture objects, read in one transaction so that they agree with each other."""
    connection = connections[using]
    outermost = not connection.in_atomic_block
    with transaction.atomic(using=using):
        if outermost and connection.vendor == "postgresql":
            # Read table by table, but from one snapshot: a review never points at an album deleted
            # halfway through. (On SQLite the IMMEDIATE transaction holds writers off meanwhile.)
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        # Users and groups first: the admin log and revisions refer to users.
        by_name = serialize([apps.get_model(label) for label in BY_NAME], using, natural_primary=True)
        return by_name + serialize(backed_up_by_key(), using, natural_primary=False)


def serialize(models, using, natural_primary):
    """These models' rows as dumpdata would write them, as Python objects.

    Django puts models with natural keys first, so the stored aggregates (AlbumScore, which has none)
    load after the reviews whose signal recomputes them, and keep their own values and times.
    """
    rows = (
        row
        for model in serializers.sort_dependencies([(None, models)], allow_cycles=True)
        for row in model._base_manager.using(using).order_by(model._meta.pk.name).iterator()
    )
    return serializers.serialize(
        "python", rows, use_natural_foreign_keys=True, use_natural_primary_keys=natural_primary
    )


def create_private(path):
    """A new file only its owner may read, whatever the umask: a backup holds password hashes and drafts.

    The mode is given when the file is created, so it is never readable by others, not even for a moment
    (a chmod after writing would leave a window). A stale file of an interrupted backup is removed first,
    as O_EXCL refuses to open an existing file (or a symlink planted in its place) and so keep its mode.
    """
    with contextlib.suppress(FileNotFoundError):
        os.unlink(path)
    return os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)


class Command(BaseCommand):
    help = "Back up the database's content, users and history to a JSON file that `restore` loads."

    def add_arguments(self, parser):
        parser.add_argument("--output", help="The file to write (default: backups/soundtrack-<UTC time>.json).")
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS)

    def handle(self, *args, output, database, **options):
        path = output or BACKUP_DIR / f"soundtrack-{timezone.now():%Y%m%d-%H%M%S}.json"
        if os.path.exists(path):
            raise CommandError(f"{path} already exists.")
        objects = dump(database)
        os.makedirs(os.path.dirname(os.path.abspath(path)), mode=0o700, exist_ok=True)
        # Written beside and renamed into place: a backup that stopped halfway is never mistaken for one.
        partial = f"{path}.partial"
        with os.fdopen(create_private(partial), "w", encoding="utf-8") as file:
            json.dump(objects, file, cls=ExactEncoder, indent=1, ensure_ascii=False)
        os.replace(partial, path)
        self.stdout.write(f"Backed up {len(objects)} objects to {path}")
