from importlib import import_module

from django.db import migrations

# The catalog's search migration: search_fold() and the shape of every search index (a name's trigrams, a
# weighted full-text document), which the queries in catalog/search.py must match exactly.
catalog_search = import_module("catalog.migrations.0003_search")

# Frozen copy of reviews/search.py's KINDS, as catalog_search.TABLES is of the catalog's.
TABLES = {
    "reviews_critic": ("name", {"name": "A", "biography": "C"}),
    "reviews_publication": ("name", {"name": "A", "description": "C"}),
    "reviews_bestoflist": ("title", {"title": "A", "description": "C"}),
    "reviews_article": ("title", {"title": "A", "standfirst": "B", "body": "C"}),
}
# An article is also found by its author's name.
RELATED_NAMES = {"reviews_author": "name"}


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return  # SQLite: no indexes, as in the catalog's.
    # IF NOT EXISTS: the catalog's 0003 made these indexes too before they moved here, so a database
    # migrated then has them already.
    catalog_search.create_indexes(schema_editor, TABLES, RELATED_NAMES, if_missing=True)


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        catalog_search.drop_indexes(schema_editor, TABLES, RELATED_NAMES)


class Migration(migrations.Migration):
    """Site search's GIN indexes on the reviews tables (PostgreSQL only; no model state changes)."""

    dependencies = [
        ("catalog", "0003_search"),  # search_fold() and the pg_trgm extension
        ("reviews", "0006_renderable_values"),
    ]

    operations = [
        migrations.RunPython(create_indexes, drop_indexes),
    ]
