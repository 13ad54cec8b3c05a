"""The admin against hand-made input: regressions the fuzz tests found.

- A NUL in an admin list's query string is a 400: on PostgreSQL, ?status__exact=%00 was a DataError (500)
  (soundtrack_site/admin_input.py).
- An autocomplete field posted a value that is not an id is a form error: it was a ValueError (500)
  when the refused form was drawn again; so is a many-to-many id past 64 bits, an OverflowError on SQLite
  (catalog/admin/base.py, which every admin class that shows such a field is built on).
"""

import pytest
from django.contrib import admin
from django.urls import reverse

from catalog.admin.base import CheckedRelationsMixin
from tests import factories
from tests.pages import form_data, parse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("url", [
    "/admin/catalog/album/?status__exact=draft%00",
    "/admin/catalog/album/?title=%00",
    "/admin/catalog/track/?album__status__exact=%00",
    "/admin/reviews/review/?scale__exact=10%00",
    "/admin/reviews/review/?q=pitchfork&%00=1",
])
def test_nul_in_an_admin_query_is_a_bad_request(editor_client, url):
    assert editor_client.get(url).status_code == 400


def test_admin_filters_without_nul_still_work(editor_client):
    response = editor_client.get("/admin/catalog/album/?status__exact=draft")

    assert response.status_code == 200
    assert response.context["cl"].result_count == 0


def test_public_filters_keep_their_form_errors(client):
    """Only the admin is guarded here: the public filter forms answer NUL themselves, with a form error."""
    response = client.get("/albums/?genre=shoegaze%00")

    assert response.status_code == 200
    assert response.context["filter"].form.errors


# Autocomplete fields given a value that is not an id (found by tests/fuzz/test_admin_forms.py) -----------


@pytest.mark.parametrize("value", ["abc", "9" * 30, "-1", "1.5"])
def test_autocomplete_field_given_a_non_id_is_a_form_error(editor_client, value):
    album = factories.AlbumFactory(label=factories.LabelFactory(), description="Before")
    url = reverse("admin:catalog_album_change", args=[album.pk])
    data = {**form_data(editor_client.get(url).content, form_id="album_form"), "_save": "Save"}
    data.update(label=value, genres=[value], description="After")

    response = editor_client.post(url, data)

    assert response.status_code == 200
    assert "label" in response.context["adminform"].form.errors
    album.refresh_from_db()
    assert album.description == "Before"


def test_autocomplete_field_still_shows_the_chosen_value(editor_client):
    """Refused for another reason, the form shows the label chosen: valid ids are still looked up."""
    album = factories.AlbumFactory(label=factories.LabelFactory(name="Emperor Norton"))
    url = reverse("admin:catalog_album_change", args=[album.pk])
    data = {**form_data(editor_client.get(url).content, form_id="album_form"), "_save": "Save"}
    data["release_date"] = "2003-13"

    response = editor_client.post(url, data)

    assert response.status_code == 200
    label = parse(response.content).find("select", name="label")
    assert [option.text for option in label.find_all("option", selected="")] == ["Emperor Norton"]


def test_a_many_to_many_id_past_64_bits_is_a_form_error(editor_client):
    """Not an autocomplete field: the critic's publications are picked from a list."""
    critic = factories.CriticFactory(publications=[factories.PublicationFactory()])
    url = reverse("admin:reviews_critic_change", args=[critic.pk])
    data = {**form_data(editor_client.get(url).content, form_id="critic_form"), "_save": "Save"}
    data.update(publications=["9" * 30], name="Renamed")

    response = editor_client.post(url, data)

    assert response.status_code == 200
    assert "publications" in response.context["adminform"].form.errors
    critic.refresh_from_db()
    assert critic.name != "Renamed"


def shows_relations_a_hand_made_id_can_break(admin_class, model):
    """An autocomplete field, or a many-to-many field the admin builds a form field for."""
    return bool(admin_class.autocomplete_fields) or any(
        field.remote_field.through._meta.auto_created for field in model._meta.many_to_many
    )


def test_every_admin_class_that_shows_such_relations_is_built_on_the_checked_base():
    """The protection is the admin classes' own, so an admin or inline added without it would lose it."""
    checked = []
    for model, model_admin in admin.site._registry.items():
        for admin_class, edits in [(type(model_admin), model),
                                   *((inline, inline.model) for inline in model_admin.get_inlines(None, None))]:
            if shows_relations_a_hand_made_id_can_break(admin_class, edits):
                assert issubclass(admin_class, CheckedRelationsMixin), admin_class
                checked.append(admin_class.__name__)
    # The reception inlines that the reviews app adds to the album page are among them.
    expected = {"AlbumAdmin", "ReviewInline", "ListEntryForAlbumInline", "ArticleAdmin", "SiteAdminUserAdmin"}
    assert expected <= set(checked)
