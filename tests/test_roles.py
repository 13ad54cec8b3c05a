"""The roles table: what README.md documents, what `ensure_roles` (and every migrate) gives the groups."""

from pathlib import Path

import pytest
from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command

from soundtrack_site import roles

pytestmark = pytest.mark.django_db

README = Path(__file__).resolve().parent.parent / "README.md"


def held(group):
    return {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.select_related("content_type")}


def test_the_readme_shows_the_table_the_groups_are_made_from():
    readme = README.read_text()
    section = readme.split("## Roles and permissions", 1)[1]
    assert roles.markdown_table() in section


def test_every_model_is_in_exactly_one_area():
    """A new model must be given its place in the table, or no role but the superuser may touch it."""
    listed = [model for area in roles.AREAS for model in area.models]
    assert len(listed) == len(set(listed))
    existing = {
        f"{model._meta.app_label}.{model._meta.model_name}"
        for app in (*roles.CONTENT_APPS, *roles.PRIVILEGED_APPS)
        for model in apps.get_app_config(app).get_models()
    }
    assert set(listed) == existing


def test_migrate_made_the_groups_with_exactly_the_tables_permissions():
    for role in roles.GROUPS:
        assert held(Group.objects.get(name=role)) == roles.permission_names(role)


def test_the_permissions_follow_the_table():
    contributor, editor = (roles.permission_names(role) for role in roles.GROUPS)
    assert {"catalog.add_album", "catalog.change_track", "reviews.delete_review", "catalog.view_artist"} <= contributor
    assert not {"catalog.add_artist", "catalog.publish_album", "reviews.publish_review"} & contributor
    assert {area.publish for area in roles.AREAS if area.publish} == {
        "catalog.publish_album", "reviews.publish_review", "reviews.publish_bestoflist", "reviews.publish_article"
    }
    assert {area.publish for area in roles.AREAS if area.publish} <= editor
    assert all(f"{app}.{verb}_{model._meta.model_name}" in editor
               for app in roles.CONTENT_APPS for model in apps.get_app_config(app).get_models()
               for verb in ("view", "add", "change", "delete"))
    assert not any(name.startswith(("auth.", "axes.")) for name in contributor | editor)


def test_ensure_roles_repairs_drift_and_is_safe_to_repeat(capsys):
    contributor, editor = (Group.objects.get(name=role) for role in roles.GROUPS)
    contributor.permissions.add(Permission.objects.get(codename="publish_album"))
    editor.permissions.remove(Permission.objects.get(codename="delete_review"))
    other = Group.objects.create(name="Helpers")
    other.permissions.add(
        *Permission.objects.filter(codename__in=["change_user", "view_album", "delete_accessattempt"])
    )

    call_command("ensure_roles")
    out = capsys.readouterr().out
    assert "Contributor: -catalog.publish_album" in out
    assert "Editor: +reviews.delete_review" in out
    assert "Helpers: -auth.change_user" in out
    for role in roles.GROUPS:
        assert held(Group.objects.get(name=role)) == roles.permission_names(role)
    assert held(other) == {"catalog.view_album"}  # Only the escalating ones are taken away.

    call_command("ensure_roles")
    assert "Roles are up to date." in capsys.readouterr().out


def test_ensure_roles_recreates_deleted_groups():
    Group.objects.filter(name__in=roles.GROUPS).delete()
    call_command("ensure_roles")
    assert held(Group.objects.get(name=roles.CONTRIBUTOR)) == roles.permission_names(roles.CONTRIBUTOR)
