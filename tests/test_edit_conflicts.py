"""Two editors, one item: the second save from a stale form is refused and the first one's changes stand.

Each editor has a browser of their own (a test client): both open the same change form, one saves,
then the other posts the form they opened before that save.
"""

import re
import threading

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.urls import reverse
from reversion.models import Version

from catalog.models import Album, Status
from reviews.models import Article, BestOfList, Review
from tests import factories
from tests.factories import log_in_verified
from tests.pages import form_data, parse

pytestmark = pytest.mark.django_db

CONFLICT = re.compile(
    r"This (?P<item>[\w -]+) was changed by (?P<who>[\w -]+) at (?P<when>.+?) after you opened it\. "
    r"Your changes were not saved: reload the page to see the current version and make your changes again\."
)


def admin_url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def client_for(username):
    user = get_user_model().objects.create_superuser(username=username, email="", password=None)
    return log_in_verified(Client(), user)


@pytest.fixture
def album():
    """A small album with three tracks: its change form is quick to open and post."""
    album = factories.AlbumFactory(title="Small Album", description="As the sources describe it.")
    for position in (1, 2, 3):
        factories.TrackFactory(album=album, position=position, title=f"Piece {position}")
    return album


@pytest.fixture
def alice():
    return client_for("alice")


@pytest.fixture
def bob():
    return client_for("bob")


def open_form(client, obj):
    response = client.get(admin_url(type(obj), "change", obj.pk))
    assert response.status_code == 200
    return form_data(response.content, form_id=f"{obj._meta.model_name}_form")


def save(client, obj, data):
    return client.post(admin_url(type(obj), "change", obj.pk), data)


def conflict_on(response):
    """The conflict message at the top of a re-displayed form, or None."""
    assert response.status_code == 200
    errors = parse(response.content).find("ul", class_="nonfield")
    return CONFLICT.fullmatch(errors.text.strip()) if errors is not None else None


def row_index(data, prefix, pk):
    return next(i for i in range(int(data[f"{prefix}-TOTAL_FORMS"])) if data.get(f"{prefix}-{i}-id") == str(pk))


def test_the_second_save_of_an_album_is_refused_and_the_first_stands(alice, bob, lost_in_translation):
    album = lost_in_translation
    description = album.description
    alices_form, bobs_form = open_form(alice, album), open_form(bob, album)
    alices_form["title"] = "Lost in Translation (Alice's title)"
    bobs_form["description"] = "Bob's account of the album."

    assert save(alice, album, alices_form).status_code == 302
    refused = save(bob, album, bobs_form)

    message = conflict_on(refused)
    assert message is not None and (message["item"], message["who"]) == ("album", "alice")
    page = parse(refused.content)
    assert "Please correct the error below" in page.find(class_="errornote").text
    assert page.find("textarea", name="description").text.strip() == "Bob's account of the album."  # Kept for Bob.
    album.refresh_from_db()
    assert (album.title, album.description) == ("Lost in Translation (Alice's title)", description)

    reloaded = open_form(bob, album)
    assert reloaded["title"] == "Lost in Translation (Alice's title)"
    reloaded["description"] = "Bob's account of the album."
    assert save(bob, album, reloaded).status_code == 302
    album.refresh_from_db()
    assert (album.title, album.description) == ("Lost in Translation (Alice's title)", "Bob's account of the album.")


def test_an_edit_to_tracks_alone_also_refuses_a_stale_save(alice, bob, album):
    track = album.tracks.get(position=2)
    alices_form, bobs_form = open_form(alice, album), open_form(bob, album)
    alices_form[f"tracks-{row_index(alices_form, 'tracks', track.pk)}-title"] = "Piece 2 (Alice)"
    bobs_form[f"tracks-{row_index(bobs_form, 'tracks', track.pk)}-title"] = "Piece 2 (Bob)"
    bobs_form["catalogue_number"] = "BOB-1"

    assert save(alice, album, alices_form).status_code == 302
    assert conflict_on(save(bob, album, bobs_form)) is not None

    track.refresh_from_db()
    album.refresh_from_db()
    assert track.title == "Piece 2 (Alice)" and album.catalogue_number != "BOB-1"


def test_a_save_that_nobody_overtook_goes_through_twice_in_a_row(alice, album):
    form = open_form(alice, album)
    form["catalogue_number"] = "FIRST"
    assert save(alice, album, form).status_code == 302
    form = open_form(alice, album)
    form["catalogue_number"] = "SECOND"
    assert save(alice, album, form).status_code == 302
    assert Album.objects.get(pk=album.pk).catalogue_number == "SECOND"


def test_the_second_save_of_a_review_is_refused_and_the_first_stands(alice, bob, reception):
    review = reception.reviews.get(publication__name="Pitchfork")
    url = review.url
    alices_form, bobs_form = open_form(alice, review), open_form(bob, review)
    alices_form["quote"] = "Alice's pull quote."
    bobs_form["url"] = "https://example.com/bobs-link"

    assert save(alice, review, alices_form).status_code == 302
    message = conflict_on(save(bob, review, bobs_form))

    assert message is not None and (message["item"], message["who"]) == ("review", "alice")
    review.refresh_from_db()
    assert (review.quote, review.url) == ("Alice's pull quote.", url)
    reloaded = open_form(bob, review)
    reloaded["url"] = "https://example.com/bobs-link"
    assert save(bob, review, reloaded).status_code == 302
    review.refresh_from_db()
    assert (review.quote, review.url) == ("Alice's pull quote.", "https://example.com/bobs-link")


def test_a_review_changed_on_the_album_page_refuses_a_stale_review_form(alice, bob, reception):
    review = reception.reviews.get(publication__name="Pitchfork")
    bobs_form = open_form(bob, review)
    album_form = open_form(alice, reception)
    album_form[f"reviews-{row_index(album_form, 'reviews', review.pk)}-quote"] = "Changed on the album page."
    assert save(alice, reception, album_form).status_code == 302

    bobs_form["quote"] = "Bob's quote."
    assert conflict_on(save(bob, review, bobs_form)) is not None
    assert Review.objects.get(pk=review.pk).quote == "Changed on the album page."


@pytest.mark.parametrize("model, field", [(BestOfList, "description"), (Article, "standfirst")])
def test_lists_and_articles_refuse_a_stale_save(alice, bob, reception, model, field):
    obj = model.objects.order_by("pk").first()
    alices_form, bobs_form = open_form(alice, obj), open_form(bob, obj)
    alices_form[field] = "Alice's words."
    bobs_form[field] = "Bob's words."

    assert save(alice, obj, alices_form).status_code == 302
    message = conflict_on(save(bob, obj, bobs_form))

    assert message is not None and message["who"] == "alice"
    assert getattr(model.objects.get(pk=obj.pk), field) == "Alice's words."


def test_an_action_run_meanwhile_refuses_a_stale_save(alice, bob, album):
    bobs_form = open_form(bob, album)
    response = alice.post(admin_url(Album, "changelist"), {
        "action": "unpublish", "_selected_action": [str(album.pk)],
    })
    assert response.status_code == 302

    bobs_form["catalogue_number"] = "BOB-1"
    message = conflict_on(save(bob, album, bobs_form))

    assert message is not None and message["who"] == "alice"
    stored = Album.objects.get(pk=album.pk)
    assert (stored.status, stored.catalogue_number) == (Status.DRAFT, album.catalogue_number)


@pytest.mark.parametrize("token, who", [
    (None, "another editor"), ("", "another editor"), ("not a time", "another editor"), ("9" * 500, "another editor"),
    ("2001-01-01", "another editor"), ("2001-01-01T00:00:00+00:00", "alice"),
])
def test_a_missing_or_forged_version_is_refused_without_an_error_page(alice, album, token, who):
    form = open_form(alice, album)
    form["catalogue_number"] = "SAVED"
    assert save(alice, album, form).status_code == 302
    form = open_form(alice, album)
    form["title"] = "Forged"
    if token is None:
        del form["edit_version"]
    else:
        form["edit_version"] = token

    message = conflict_on(save(alice, album, form))

    assert message is not None and message["who"] == who
    assert Album.objects.get(pk=album.pk).title != "Forged"


def test_a_stale_revert_is_refused_too(alice, bob, album):
    form = open_form(alice, album)
    form["catalogue_number"] = "FIRST"
    assert save(alice, album, form).status_code == 302
    first = Version.objects.get_for_object(album).order_by("pk").first()
    revert_url = admin_url(Album, "revision", album.pk, first.pk)
    revert_page = alice.get(revert_url)
    revert_form = form_data(revert_page.content, form_id="album_form")

    bobs_form = open_form(bob, album)
    bobs_form["catalogue_number"] = "BOB-2"
    assert save(bob, album, bobs_form).status_code == 302
    message = conflict_on(alice.post(revert_url, revert_form))

    assert message is not None and message["who"] == "bob"
    assert Album.objects.get(pk=album.pk).catalogue_number == "BOB-2"
    assert alice.post(revert_url, form_data(alice.get(revert_url).content, form_id="album_form")).status_code == 302
    assert Album.objects.get(pk=album.pk).catalogue_number == album.catalogue_number


@pytest.mark.django_db(transaction=True)
def test_two_saves_at_the_same_moment_one_wins(album):
    """Both editors post the same form at once: the row lock lets exactly one save through."""
    clients = [client_for("alice"), client_for("bob")]
    forms = [open_form(client, album) for client in clients]
    for form, name in zip(forms, ["alice", "bob"], strict=True):
        form["catalogue_number"] = f"{name.upper()}-1"
    start = threading.Barrier(2)
    results = [None, None]

    def post(i):
        try:
            start.wait()
            results[i] = save(clients[i], album, forms[i])
        finally:
            connection.close()

    threads = [threading.Thread(target=post, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(response.status_code for response in results) == [200, 302]
    winner = next(i for i, response in enumerate(results) if response.status_code == 302)
    assert conflict_on(results[1 - winner]) is not None
    assert Album.objects.get(pk=album.pk).catalogue_number == forms[winner]["catalogue_number"]
