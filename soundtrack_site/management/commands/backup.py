"""Write the site's data to a timestamped JSON file under backups/ (README: Backup and restore)."""

import json
import os

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS
from django.utils import timezone

from soundtrack_site.backups import ExactJSONEncoder, dump

BACKUP_DIR = settings.BASE_DIR / "backups"


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
        os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
        # Written beside and renamed into place: a backup that stopped halfway is never mistaken for one.
        partial = f"{path}.partial"
        with open(partial, "w", encoding="utf-8") as file:
            json.dump(objects, file, cls=ExactJSONEncoder, indent=1, ensure_ascii=False)
        os.replace(partial, path)
        self.stdout.write(f"Backed up {len(objects)} objects to {path}")
