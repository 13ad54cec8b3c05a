from django.apps import AppConfig
from django.db import connections
from django.db.backends.signals import connection_created
from django.db.models import CharField, TextField


class SoundtrackSiteConfig(AppConfig):
    """Project-wide glue that must be in place before the first query: site search's `fold` lookup.

    The lookup is registered as contrib.postgres registers `unaccent`; each new database connection is
    prepared for it (SQLite gets its search_fold() function), the only moment Django offers for that.
    """

    name = "soundtrack_site"
    verbose_name = "Soundtrack Site"

    def ready(self):
        from .search import Fold, prepare_connection

        CharField.register_lookup(Fold)
        TextField.register_lookup(Fold)
        connection_created.connect(prepare_connection)
        for connection in connections.all(initialized_only=True):
            if connection.connection is not None:  # Opened before ready(): the signal came too late for it.
                prepare_connection(None, connection)
