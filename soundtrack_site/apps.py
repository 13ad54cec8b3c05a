from django.apps import AppConfig, apps
from django.contrib.admin import apps as admin_apps
from django.db.models.signals import post_migrate


class SoundtrackSiteConfig(AppConfig):
    """Project-wide glue: the editorial roles (roles.py) are synced after every migrate."""

    name = "soundtrack_site"
    verbose_name = "Soundtrack Site"

    def ready(self):
        from .roles import sync_after_migrate

        # This app has no models, so it gets no post_migrate of its own: listen for the reviews app's,
        # the last content app, whose permissions auth has made just before.
        post_migrate.connect(sync_after_migrate, sender=apps.get_app_config("reviews"))


class AdminConfig(admin_apps.AdminConfig):
    """Django's admin with our AdminSite as `admin.site`: it lets staff in only with the second factor their
    role needs (two_factor.py). Listed in INSTALLED_APPS in place of django.contrib.admin."""

    default = False  # Not this package's app: that is SoundtrackSiteConfig.
    default_site = "soundtrack_site.two_factor.AdminSite"
