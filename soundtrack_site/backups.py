"""What a backup holds and how it is read from the database (README: Backup and restore).

A backup is one JSON fixture that `manage.py restore` loads with our loaddata (all or nothing, every
object validated). Rows keep their primary keys: an album's stored score is keyed by the album's, and
revision history and the admin log point at objects by theirs, so a copy that renumbered rows would
attach them to the wrong objects. That is safe because a restore goes only into a database without
content (or one it empties first). References are written as natural keys (slugs, usernames, app and
model names): content types and permissions are numbered differently in every database.
"""


from django.apps import apps
from django.core import serializers
from django.db import connections, transaction

# Left out: what migrate makes (content types, permissions), caches and logins (sorl-thumbnail's
# key-value store, sessions), django-axes' login failures and lockouts, which hold visitors'
# addresses and matter for minutes, and the second-factor devices: their keys and backup codes, in a file
# beside the password hashes, would undo the second factor for whoever holds the file (staff set theirs
# up again after a restore). Everything else is in, new apps' tables too.
LEFT_OUT = {"contenttypes", "auth.permission", "sessions", "thumbnail", "axes", "otp_totp", "otp_static"}

# Matched by name, not by number: every migrated database already has the groups (soundtrack_site/roles.py
# makes them after each migrate) and may have the `make run` editor; their numbers differ from the backup's.
BY_NAME = ["auth.group", "auth.user"]


def backed_up_by_key():
    """The models whose rows a backup keeps with their primary keys, in a stable order."""
    return [
        model for model in apps.get_models()
        if not model._meta.proxy
        and model._meta.app_label not in LEFT_OUT
        and model._meta.label_lower not in LEFT_OUT | set(BY_NAME)
    ]


def content_counts(using="default"):
    """{model label: rows} of the models a restore would fill by primary key, where the database has rows."""
    counts = {model._meta.label_lower: model._base_manager.using(using).count() for model in backed_up_by_key()}
    return {label: count for label, count in counts.items() if count}


def dump(using="default"):
    """Every backed-up row as fixture objects, read in one transaction so that they agree with each other."""
    connection = connections[using]
    outermost = not connection.in_atomic_block
    with transaction.atomic(using=using):
        if outermost and connection.vendor == "postgresql":
            # Read table by table, but from one snapshot: a review never points at an album deleted
            # halfway through. (On SQLite the IMMEDIATE transaction holds writers off meanwhile.)
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        # Users and groups first: the admin log and revisions refer to users.
        by_name = serialize([apps.get_model(label) for label in BY_NAME], using, natural_primary=True)
        return by_name + serialize(backed_up_by_key(), using, natural_primary=False)


def serialize(models, using, natural_primary):
    """These models' rows as dumpdata would write them, as Python objects.

    Django puts models with natural keys first, so the stored aggregates (AlbumScore, which has none)
    load after the reviews whose signal recomputes them, and keep their own values and times.
    """
    rows = (
        row
        for model in serializers.sort_dependencies([(None, models)], allow_cycles=True)
        for row in model._base_manager.using(using).order_by(model._meta.pk.name).iterator()
    )
    return serializers.serialize(
        "python", rows, use_natural_foreign_keys=True, use_natural_primary_keys=natural_primary
    )
