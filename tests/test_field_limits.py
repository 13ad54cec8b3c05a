"""Django's 1000 form fields for every request but staff's in the admin, whose album forms post more."""

from urllib.parse import urlencode

import pytest
from django.urls import reverse

from catalog.models import Album, Track
from tests import factories
from tests.pages import form_data, parse

pytestmark = pytest.mark.django_db

HOME = reverse("catalog:home")
LOGIN = reverse("admin:login")


def fields(count):
    return {f"field{number}": "x" for number in range(count)}


@pytest.mark.parametrize("url", [HOME, reverse("search"), LOGIN])
def test_an_anonymous_post_with_2000_fields_is_refused(client, url):
    assert client.post(url, fields(2000)).status_code == 400  # multipart, as the test client sends by default
    body = urlencode(fields(2000))
    assert client.post(url, body, content_type="application/x-www-form-urlencoded").status_code == 400


def test_a_query_string_with_2000_fields_is_refused(client):
    assert client.get(f"{reverse('catalog:album-list')}?{urlencode(fields(2000))}").status_code == 400
    repeated = "&".join(["genre=x"] * 2000)  # One name 2000 times counts 2000 times.
    assert client.get(f"{reverse('catalog:album-list')}?{repeated}").status_code == 400


def test_a_thousand_fields_are_still_taken(client):
    assert client.get(f"{reverse('catalog:album-list')}?{urlencode(fields(1000))}").status_code == 200
    assert client.post(HOME, fields(999)).status_code == 405  # Parsed, then the page's own answer: GET only.


def test_staff_outside_the_admin_have_the_default_limit(editor_client):
    assert editor_client.post(reverse("search"), fields(2000)).status_code == 400


def test_an_editor_saves_an_album_whose_form_has_over_1000_fields(editor_client):
    album = factories.AlbumFactory(title="Long Player")
    Track.objects.bulk_create(
        Track(album=album, disc=1, position=number, title=f"Part {number}") for number in range(1, 151)
    )
    url = reverse("admin:catalog_album_change", args=[album.pk])
    data = form_data(editor_client.get(url).content, form_id="album_form")
    data["tracks-149-title"] = "The Last Part"
    data["_save"] = "Save"
    assert sum(len(value) if isinstance(value, list) else 1 for value in data.values()) > 1000

    response = editor_client.post(url, data)

    assert response.status_code == 302, parse(response.content).find(class_="errornote")
    assert Album.objects.get(pk=album.pk).tracks.get(position=150).title == "The Last Part"


def test_a_non_staff_user_in_the_admin_has_the_default_limit(client, django_user_model):
    client.force_login(django_user_model.objects.create_user("visitor", is_staff=False))
    assert client.post(reverse("admin:catalog_album_add"), fields(2000)).status_code == 400
