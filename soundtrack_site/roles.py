"""The editorial roles as data: the one table behind the groups' permissions, the README and the tests.

Each area of content gets an access level per role. `sync_groups()` turns the table into the
Contributor and Editor groups' permissions; the admin (catalog/admin_permissions.py) adds the rule
that only holders of an area's publish permission may publish, or change or delete what is published.
Site admins are superusers: no group ever holds a permission on users, groups or permissions.
"""

import contextlib
import enum
from dataclasses import dataclass

from django.apps import apps as global_apps
from django.core.exceptions import ImproperlyConfigured
from django.db import DEFAULT_DB_ALIAS

CONTRIBUTOR = "Contributor"
EDITOR = "Editor"
SITE_ADMIN = "Site admin"
GROUPS = (CONTRIBUTOR, EDITOR)
# Superusers only: a group holding any of these could make its members superusers (auth), lift
# the lockout that stops a password being guessed (axes) or give someone a second factor of its choosing
# (the django-otp devices).
PRIVILEGED_APPS = ("auth", "axes", "otp_totp", "otp_static")


class Access(enum.IntEnum):
    NONE = 0
    VIEW = 1
    DRAFTS = 2  # Add, change and delete while the item (or the album or list it belongs to) is a draft.
    ALL = 3  # Add, change and delete anything, and publish, schedule and unpublish.


@dataclass(frozen=True)
class Area:
    key: str
    title: str
    models: tuple[str, ...]  # "app_label.model_name"
    publish: str = ""  # The publish permission, "app_label.codename", for areas with drafts.
    access: tuple[Access, Access] = (Access.NONE, Access.NONE)  # Contributor's, Editor's

    def access_for(self, role):
        """Site admins are superusers: they may do everything."""
        return Access.ALL if role == SITE_ADMIN else self.access[GROUPS.index(role)]

    def describe(self, level):
        """The README's words for a level in this area."""
        if level is Access.ALL and self.publish:
            return "everything; publish, schedule, unpublish"
        return {
            Access.NONE: "—",
            Access.VIEW: "view",
            Access.DRAFTS: "view; add, change, delete drafts",
            Access.ALL: "everything (view, add, change, delete)",
        }[level]


AREAS = (
    Area(
        "albums",
        "Albums, and all their page edits: tracks (with performers and writers), credits, samples, songs in "
        "the film, editions (with running orders), chart entries, sources, outside scores, commentary",
        (
            "catalog.album", "catalog.track", "catalog.trackartist", "catalog.trackwriter", "catalog.credit",
            "catalog.sample", "catalog.songinfilm", "catalog.edition", "catalog.editiontrack",
            "catalog.chartentry", "catalog.source", "reviews.outsideaggregate", "reviews.commentary",
        ),
        publish="catalog.publish_album",
        access=(Access.DRAFTS, Access.ALL),
    ),
    Area("reviews", "Reviews", ("reviews.review",), publish="reviews.publish_review",
         access=(Access.DRAFTS, Access.ALL)),
    Area("lists", "Best-of lists and their entries", ("reviews.bestoflist", "reviews.listentry"),
         publish="reviews.publish_bestoflist", access=(Access.DRAFTS, Access.ALL)),
    Area("articles", "Articles", ("reviews.article",), publish="reviews.publish_article",
         access=(Access.DRAFTS, Access.ALL)),
    Area(
        "reference",
        "Artists and memberships, labels, genres, films and film credits, roles, charts, publications, "
        "critics, authors, album scores",
        (
            "catalog.artist", "catalog.membership", "catalog.label", "catalog.genre", "catalog.film",
            "catalog.filmcredit", "catalog.role", "catalog.chart", "reviews.publication", "reviews.critic",
            "reviews.author", "reviews.albumscore", "reviews.scoreperiod",
        ),
        access=(Access.VIEW, Access.ALL),
    ),
    Area(
        "users",
        "Users, groups and permissions; login lockouts; second-factor devices",
        ("auth.user", "auth.group", "auth.permission", "axes.accessattempt", "axes.accesslog",
         "axes.accessfailurelog", "axes.accessattemptexpiration", "otp_totp.totpdevice", "otp_static.staticdevice",
         "otp_static.statictoken"),
    ),
)
AREAS_BY_KEY = {area.key: area for area in AREAS}
CONTENT_APPS = ("catalog", "reviews")


def permission_names(role):
    """The permissions ("app_label.codename") the role's group holds."""
    names = set()
    for area in AREAS:
        level = area.access_for(role)
        verbs = {Access.NONE: (), Access.VIEW: ("view",)}.get(level, ("view", "add", "change", "delete"))
        for model in area.models:
            app_label, model_name = model.split(".")
            names.update(f"{app_label}.{verb}_{model_name}" for verb in verbs)
        if level is Access.ALL and area.publish:
            names.add(area.publish)
    if any(name.split(".")[0] in PRIVILEGED_APPS for name in names):
        raise ImproperlyConfigured(f"The {role} group may not hold permissions of {', '.join(PRIVILEGED_APPS)}.")
    return names


def markdown_table():
    """The table README.md shows under "Roles and permissions" (a test keeps the two equal)."""
    roles = (CONTRIBUTOR, EDITOR, SITE_ADMIN)
    lines = ["| content | " + " | ".join(roles) + " |", "|---|---|---|---|"]
    for area in AREAS:
        lines.append(f"| {area.title} | " + " | ".join(area.describe(area.access_for(role)) for role in roles) + " |")
    return "\n".join(lines)


def sync_groups(using=DEFAULT_DB_ALIAS, apps=global_apps):
    """Create the Contributor and Editor groups with exactly the table's permissions, and take every
    permission of PRIVILEGED_APPS away from any group. Safe to repeat. Returns {group name: [changes]}.

    The permissions must exist: migrate creates them (this runs after it).
    """
    group_model = apps.get_model("auth", "Group")
    permission_model = apps.get_model("auth", "Permission")
    changes = {}
    for role in GROUPS:
        wanted = permission_names(role)
        found = {
            f"{p.content_type.app_label}.{p.codename}": p
            for p in permission_model.objects.using(using).select_related("content_type")
            if f"{p.content_type.app_label}.{p.codename}" in wanted
        }
        missing = wanted - found.keys()
        if missing:
            raise LookupError(f"Permissions missing (run migrate first): {', '.join(sorted(missing))}")
        group, created = group_model.objects.using(using).get_or_create(name=role)
        held = {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.select_related("content_type")}
        if created or held != wanted:
            group.permissions.set(found.values())
            changes[role] = ["created"] if created else [
                *(f"+{name}" for name in sorted(wanted - held)), *(f"-{name}" for name in sorted(held - wanted))
            ]
    privileged = permission_model.objects.using(using).filter(content_type__app_label__in=PRIVILEGED_APPS)
    for group in group_model.objects.using(using).filter(permissions__in=privileged).distinct():
        removed = list(group.permissions.filter(pk__in=privileged).select_related("content_type"))
        group.permissions.remove(*removed)
        changes.setdefault(group.name, []).extend(
            sorted(f"-{p.content_type.app_label}.{p.codename}" for p in removed)
        )
    return changes


def sync_after_migrate(sender, using=DEFAULT_DB_ALIAS, apps=global_apps, **kwargs):
    """post_migrate receiver: every migrated database, test databases included, has the roles.

    A partial migration (auth not there yet) leaves the roles to the next full one.
    """
    with contextlib.suppress(LookupError):
        sync_groups(using=using, apps=apps)
