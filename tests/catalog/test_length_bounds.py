"""Lengths have a ceiling: past it, SQLite's column overflowed while the admin checked the constraints (a 500).

Found by tests/fuzz/test_admin_forms.py: a track or album length of 200,000,000,000 minutes passed the form.
"""

import datetime

import pytest
from django.urls import reverse

from tests import factories
from tests.pages import form_data

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("length", ["200000000000:00", "100:00:01", "6001:00"])
def test_a_track_length_past_100_hours_is_a_form_error(editor_client, length):
    track = factories.TrackFactory(length=datetime.timedelta(minutes=3))
    url = reverse("admin:catalog_track_change", args=[track.pk])
    data = {**form_data(editor_client.get(url).content, form_id="track_form"), "length": length, "_save": "Save"}

    response = editor_client.post(url, data)

    assert response.status_code == 200
    assert "at most 100 hours" in str(response.context["adminform"].form.errors["length"])
    track.refresh_from_db()
    assert track.length == datetime.timedelta(minutes=3)


def test_an_album_length_of_100_hours_is_accepted(editor_client):
    album = factories.AlbumFactory()
    url = reverse("admin:catalog_album_change", args=[album.pk])
    data = {**form_data(editor_client.get(url).content, form_id="album_form"), "length": "100:00:00", "_save": "Save"}

    assert editor_client.post(url, data).status_code == 302
    album.refresh_from_db()
    assert album.length == datetime.timedelta(hours=100)
