"""Load a backup made by `manage.py backup` into a migrated database, all or nothing."""

import os

from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections, transaction
from django.db.migrations.executor import MigrationExecutor

from .backup import content_counts


class Command(BaseCommand):
    help = (
        "Restore a backup into a migrated database that holds no content yet, or with --replace into one "
        "that does (it is emptied first). Either the whole backup is loaded or the database is left as it was."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="A JSON file written by `manage.py backup`.")
        parser.add_argument(
            "--replace", action="store_true",
            help="Empty the database first (everything in it: content, users, sessions, history).",
        )
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS)

    def handle(self, *args, file, replace, database, **options):
        if not os.path.isfile(file):
            raise CommandError(f"No backup at {file}.")
        executor = MigrationExecutor(connections[database])
        if executor.migration_plan(executor.loader.graph.leaf_nodes()):
            raise CommandError("The database has unapplied migrations: run `manage.py migrate` first.")
        try:
            with transaction.atomic(using=database):
                if replace:
                    call_command("flush", interactive=False, database=database, verbosity=0)
                elif held := content_counts(database):
                    # Rows keep their primary keys: loaded on top of other rows they would overwrite
                    # some and interleave with the rest.
                    summary = ", ".join(f"{count} {label}" for label, count in list(held.items())[:4])
                    raise CommandError(
                        f"The database already holds content ({sum(held.values())} rows in {len(held)} tables: "
                        f"{summary}, …). Restoring into it would mix two sites' data: restore into an empty "
                        "database, or pass --replace (REPLACE=1 with make) to empty this one first."
                    )
                call_command("load_checked", file, database=database, verbosity=options["verbosity"])
        except (CommandError, DatabaseError) as error:
            # The rollback took back the content types a flush had made again; forget their cached ids.
            ContentType.objects.clear_cache()
            if isinstance(error, CommandError):
                raise
            raise CommandError(f"Could not restore {file}: {error}") from error  # e.g. a check at the commit
