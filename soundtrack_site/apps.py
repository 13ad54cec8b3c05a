from django.apps import AppConfig, apps
from django.contrib.admin import apps as admin_apps
from django.db import connections
from django.db.backends.signals import connection_created
from django.db.models import CharField, TextField
from django.db.models.signals import post_migrate


class SoundtrackSiteConfig(AppConfig):
    """Project-wide glue that must be in place before the first query: site search's `fold` lookup.

    The lookup is registered as contrib.postgres registers `unaccent`; each new database connection is
    prepared for it (SQLite gets its search_fold() function), the only moment Django offers for that.
    Also: the editorial roles (roles.py) are synced after every migrate.
    """

    name = "soundtrack_site"
    verbose_name = "Soundtrack Site"

    def ready(self):
        from .roles import sync_after_migrate
        from .search import Fold, prepare_connection

        # This app has no models, so it gets no post_migrate of its own: listen for the reviews app's,
        # the last content app, whose permissions auth has made just before.
        post_migrate.connect(sync_after_migrate, sender=apps.get_app_config("reviews"))

        CharField.register_lookup(Fold)
        TextField.register_lookup(Fold)
        connection_created.connect(prepare_connection)
        for connection in connections.all(initialized_only=True):
            if connection.connection is not None:  # Opened before ready(): the signal came too late for it.
                prepare_connection(None, connection)


class AdminConfig(admin_apps.AdminConfig):
    """Django's admin with our AdminSite as `admin.site`: it lets staff in only with the second factor their
    role needs (two_factor.py). Listed in INSTALLED_APPS in place of django.contrib.admin."""

    default = False  # Not this package's app: that is SoundtrackSiteConfig.
    default_site = "soundtrack_site.two_factor.AdminSite"
