from django.contrib.postgres.operations import CreateExtension
from django.db import migrations

# Frozen copy of catalog/search.py's KINDS: each table's name column (trigram index) and the columns of
# its full-text document with their weights, in the order the search code joins them. PostgreSQL only
# uses an expression index for a query whose expression is the same, so a change to a kind's fields there
# needs a new migration like this one; tests/test_search.py checks that each search is answered from
# these indexes. The reviews tables' indexes are reviews' own: reviews/migrations/0007_search.py, which
# uses this module's helpers. (Before it, this migration made them too; that one creates them only if missing.)
TABLES = {
    "catalog_album": ("title", {"title": "A", "artist_credit": "B", "catalogue_number": "B", "description": "C"}),
    "catalog_track": ("title", {"title": "A", "alternative_title": "A", "note": "C"}),
    "catalog_artist": ("name", {"name": "A", "original_name": "A", "disambiguation": "B", "biography": "C"}),
    "catalog_film": ("title", {"title": "A", "description": "C"}),
}
# Related names the search also matches (a track by its performers', an album by its label's), when
# their table is not one of the above.
RELATED_NAMES = {"catalog_label": "name", "catalog_trackartist": "credited_as"}
TEXT_SEARCH_CONFIG = "english"


class CreateExtensionOnPostgreSQL(CreateExtension):
    """CreateExtension, whose reverse Django runs on any database (and fails on SQLite: no pg_extension)."""

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)


def document_sql(columns):
    """The SQL Django writes for catalog.search._document()."""
    return " || ".join(
        f"setweight(to_tsvector('{TEXT_SEARCH_CONFIG}'::regconfig, COALESCE(search_fold({column}), '')), '{weight}')"
        for column, weight in columns.items()
    )


def create_search_function_and_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return  # SQLite: search_fold() is registered in Python on each connection; no indexes.
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            "SELECT nspname FROM pg_extension JOIN pg_namespace ON pg_namespace.oid = extnamespace "
            "WHERE extname = 'unaccent'"
        )
        schema = schema_editor.quote_name(cursor.fetchone()[0])
    # unaccent() is only STABLE (its rules file could change), so it cannot appear in an index. With the
    # dictionary named and schema-qualified, the result depends on the text alone: IMMUTABLE is true as
    # long as the rules file is not edited (after which: REINDEX the indexes below).
    schema_editor.execute(
        "CREATE OR REPLACE FUNCTION search_fold(text) RETURNS text "
        "LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT "
        f"AS $$ SELECT lower({schema}.unaccent('{schema}.unaccent'::regdictionary, $1)) $$"
    )
    create_indexes(schema_editor, TABLES, RELATED_NAMES)


def drop_search_function_and_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    drop_indexes(schema_editor, TABLES, RELATED_NAMES)
    schema_editor.execute("DROP FUNCTION IF EXISTS search_fold(text)")


def create_indexes(schema_editor, tables, related_names, if_missing=False):
    """A trigram index on each table's name and one on its full-text document; a trigram index on each related name."""
    create = "CREATE INDEX IF NOT EXISTS" if if_missing else "CREATE INDEX"
    for table, (name, columns) in tables.items():
        schema_editor.execute(f"{create} search_{table}_name ON {table} USING gin (search_fold({name}) gin_trgm_ops)")
        schema_editor.execute(f"{create} search_{table}_document ON {table} USING gin (({document_sql(columns)}))")
    for table, name in related_names.items():
        schema_editor.execute(f"{create} search_{table}_name ON {table} USING gin (search_fold({name}) gin_trgm_ops)")


def drop_indexes(schema_editor, tables, related_names):
    for table in [*tables, *related_names]:
        schema_editor.execute(f"DROP INDEX IF EXISTS search_{table}_name")
        schema_editor.execute(f"DROP INDEX IF EXISTS search_{table}_document")


class Migration(migrations.Migration):
    """Site search: PostgreSQL extensions, the search_fold() function and GIN indexes (nothing on SQLite).

    No model state changes: the extensions are no-ops on other databases and the rest is run by hand
    on PostgreSQL only, so SQLite migrates the same and makemigrations sees nothing to do.
    """

    dependencies = [
        ("catalog", "0002_browse_indexes"),
    ]

    operations = [
        CreateExtensionOnPostgreSQL("unaccent"),
        CreateExtensionOnPostgreSQL("pg_trgm"),
        migrations.RunPython(create_search_function_and_indexes, drop_search_function_and_indexes),
    ]
