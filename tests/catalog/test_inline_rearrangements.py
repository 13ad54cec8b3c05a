"""Inline rows that trade unique values save, or are refused with a message: never an IntegrityError.

Found by tests/fuzz/test_admin_forms.py: Django saves inline rows one at a time, so a rearrangement whose
end state is valid could collide midway (catalog/admin/inlines.py).
"""

import pytest
from django.urls import reverse

from tests import factories
from tests.pages import form_data, parse

pytestmark = pytest.mark.django_db


def album_form(client, album):
    url = reverse("admin:catalog_album_change", args=[album.pk])
    return url, {**form_data(client.get(url).content, form_id="album_form"), "_save": "Save"}


@pytest.fixture
def album():
    album = factories.AlbumFactory()
    for disc, position, title in [(1, 1, "One"), (1, 2, "Two"), (2, 1, "Three")]:
        factories.TrackFactory(album=album, disc=disc, position=position, title=title)
    return album


def tracks(album):
    return list(album.tracks.order_by("disc", "position").values_list("disc", "position", "title"))


def test_a_track_moves_to_another_disc_while_one_takes_its_place(editor_client, album):
    url, data = album_form(editor_client, album)
    data["tracks-0-position"] = "2"  # One: 1/1 -> 1/2, where Two is leaving
    data["tracks-1-disc"] = "2"  # Two: 1/2 -> 2/2

    assert editor_client.post(url, data).status_code == 302
    assert tracks(album) == [(1, 2, "One"), (2, 1, "Three"), (2, 2, "Two")]


def test_tracks_swap_discs(editor_client, album):
    url, data = album_form(editor_client, album)
    data["tracks-0-disc"], data["tracks-2-disc"] = "2", "1"

    assert editor_client.post(url, data).status_code == 302
    assert tracks(album) == [(1, 1, "Three"), (1, 2, "Two"), (2, 1, "One")]


def test_parking_finds_free_positions_at_the_top_of_the_range(editor_client, album):
    factories.TrackFactory(album=album, disc=1, position=32767, title="Last")
    factories.TrackFactory(album=album, disc=1, position=32766, title="Next to last")
    url, data = album_form(editor_client, album)
    data["tracks-0-position"], data["tracks-1-position"] = "2", "1"

    assert editor_client.post(url, data).status_code == 302
    assert tracks(album)[:2] == [(1, 1, "Two"), (1, 2, "One")]


@pytest.fixture
def reviewed(album):
    publications = [factories.PublicationFactory(name=name) for name in ("First", "Second", "Third")]
    for publication in publications[:2]:
        factories.ReviewFactory(album=album, publication=publication)
    return album, publications


def publications_of(album):
    return sorted(album.reviews.values_list("publication__name", "quote"))


def test_a_review_takes_the_publication_another_gives_up(editor_client, reviewed):
    album, (first, second, third) = reviewed
    url, data = album_form(editor_client, album)
    rows = {data[f"reviews-{i}-publication"]: i for i in (0, 1)}
    data[f"reviews-{rows[str(first.pk)]}-publication"] = str(second.pk)
    data[f"reviews-{rows[str(second.pk)]}-publication"] = str(third.pk)
    quotes = {publication: data[f"reviews-{i}-quote"] for publication, i in rows.items()}

    assert editor_client.post(url, data).status_code == 302
    assert publications_of(album) == [("Second", quotes[str(first.pk)]), ("Third", quotes[str(second.pk)])]


def test_a_review_takes_the_publication_of_one_deleted(editor_client, reviewed):
    album, (first, second, _third) = reviewed
    url, data = album_form(editor_client, album)
    rows = {data[f"reviews-{i}-publication"]: i for i in (0, 1)}
    data[f"reviews-{rows[str(first.pk)]}-publication"] = str(second.pk)
    data[f"reviews-{rows[str(second.pk)]}-DELETE"] = "on"

    assert editor_client.post(url, data).status_code == 302
    assert [name for name, _quote in publications_of(album)] == ["Second"]


def test_reviews_swapping_publications_are_refused_with_a_message(editor_client, reviewed):
    album, _publications = reviewed
    before = publications_of(album)
    url, data = album_form(editor_client, album)
    data["reviews-0-publication"], data["reviews-1-publication"] = data["reviews-1-publication"], data[
        "reviews-0-publication"]

    response = editor_client.post(url, data)

    assert response.status_code == 200
    assert "save one of the changes first" in parse(response.content).text
    assert publications_of(album) == before


def test_credits_swapping_artists_are_refused_with_a_message(editor_client, album):
    role = factories.RoleFactory()
    for position in (1, 2):
        factories.CreditFactory(album=album, role=role, position=position)
    before = list(album.credits.values_list("pk", "artist"))
    url, data = album_form(editor_client, album)
    data["credits-0-artist"], data["credits-1-artist"] = data["credits-1-artist"], data["credits-0-artist"]

    response = editor_client.post(url, data)

    assert response.status_code == 200
    assert "save one of the changes first" in parse(response.content).text
    assert list(album.credits.values_list("pk", "artist")) == before
