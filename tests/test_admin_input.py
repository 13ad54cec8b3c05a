"""The admin against hand-made input (soundtrack_site/admin_input.py): regressions the fuzz tests found.

- A NUL in an admin list's query string is a 400: on PostgreSQL, ?status__exact=%00 was a DataError (500).
- An autocomplete field posted a value that is not an id is a form error: it was a ValueError (500)
  when the refused form was drawn again.
"""

import pytest
from django.urls import reverse

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
