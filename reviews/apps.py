from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "reviews"
    # What the catalog's album page and album list show of reviews; the catalog finds it here (catalog/views.py).
    catalog_pages = "reviews.reception.extension"

    def ready(self):
        from . import signals  # noqa: F401 - connects the receivers
