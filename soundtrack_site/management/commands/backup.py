"""Write the site's data to a timestamped JSON file under backups/ (README: Backup and restore)."""

import contextlib
import json
import os

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS
from django.utils import timezone

from catalog.serializers import ExactEncoder
from soundtrack_site.backups import dump

BACKUP_DIR = settings.BASE_DIR / "backups"


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
