from django.apps import AppConfig
from django.db import connections
from django.db.backends.signals import connection_created
from django.db.models import CharField, TextField


class CatalogConfig(AppConfig):
    """The catalog, and site search's `fold` lookup (catalog/search.py), which must be in place before the first query.

    The lookup is registered as contrib.postgres registers `unaccent`; each new database connection is
    prepared for it (SQLite gets its search_fold() function), the only moment Django offers for that.
    """

    default_auto_field = 'django.db.models.BigAutoField'
    name = 'catalog'

    def ready(self):
        from .search import Fold, prepare_connection

        CharField.register_lookup(Fold)
        TextField.register_lookup(Fold)
        connection_created.connect(prepare_connection)
        for connection in connections.all(initialized_only=True):
            if connection.connection is not None:  # Opened before ready(): the signal came too late for it.
                prepare_connection(None, connection)
