"""Revision history in the admin: who changed what, diffs, revert with inline children, recover deleted items.

Everything goes through the admin's real pages: the change form as rendered, posted back with an
editor's changes, the history page, the diff page, the revert and recover forms.
"""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from reversion.models import Version

from catalog.admin.history import DELETED, FIRST_STATE
from catalog.models import (
    Album,
    ChartEntry,
    Credit,
    Edition,
    EditionTrack,
    Role,
    Sample,
    SongInFilm,
    Source,
    Status,
    Track,
    TrackArtist,
    TrackWriter,
)
from reviews.models import AlbumScore, Article, BestOfList, Commentary, ListEntry, OutsideAggregate, Review
from tests import factories
from tests.pages import form_data, parse, text_of

pytestmark = pytest.mark.django_db


def admin_url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def rows(queryset, *without):
    """Every stored field of every row, in primary-key order."""
    return [{k: v for k, v in row.items() if k not in without} for row in queryset.order_by("pk").values()]


def album_state(album):
    """The album and everything its page edits, field by field, as the database holds them."""
    credit_tracks = Credit.tracks.through.objects.filter(credit__album=album)
    return {
        "album": rows(Album.objects.filter(pk=album.pk), "updated_at"),
        "genres": sorted(album.genres.values_list("pk", flat=True)),
        "tracks": rows(Track.objects.filter(album=album)),
        "performers": rows(TrackArtist.objects.filter(track__album=album)),
        "writers": rows(TrackWriter.objects.filter(track__album=album)),
        "credits": rows(Credit.objects.filter(album=album)),
        "credit tracks": sorted(credit_tracks.values_list("credit_id", "track_id")),
        "samples": rows(Sample.objects.filter(album=album)),
        "songs in the film": rows(SongInFilm.objects.filter(album=album)),
        "editions": rows(Edition.objects.filter(album=album)),
        "edition tracks": rows(EditionTrack.objects.filter(edition__album=album)),
        "chart entries": rows(ChartEntry.objects.filter(album=album)),
        "sources": rows(Source.objects.filter(album=album)),
        "reviews": rows(Review.objects.filter(album=album)),
        "outside aggregates": rows(OutsideAggregate.objects.filter(album=album)),
        "list entries": rows(ListEntry.objects.filter(album=album)),
        "commentary": rows(Commentary.objects.filter(album=album)),
    }


def change_form(client, obj, form_id):
    response = client.get(admin_url(type(obj), "change", obj.pk))
    assert response.status_code == 200
    return form_data(response.content, form_id=form_id)


def row_index(data, prefix, pk):
    """The index of the inline row showing the object with this primary key."""
    total = int(data[f"{prefix}-TOTAL_FORMS"])
    return next(i for i in range(total) if data.get(f"{prefix}-{i}-id") == str(pk))


def add_row(data, prefix, **values):
    index = int(data[f"{prefix}-TOTAL_FORMS"])
    data[f"{prefix}-TOTAL_FORMS"] = str(index + 1)
    data.update({f"{prefix}-{index}-{name}": value for name, value in values.items()})


def assert_saved(response):
    errors = parse(response.content).find(class_="errornote") if response.status_code == 200 else None
    assert response.status_code == 302, errors and parse(response.content).text


def revert(client, obj, version):
    """Open the revert page of a version and save it as shown, as an editor pressing Save would."""
    url = admin_url(type(obj), "revision", obj.pk, version.pk)
    page = client.get(url)
    assert page.status_code == 200
    assert "Press the save button below to revert to this version" in text_of(page)
    return client.post(url, form_data(page.content, form_id=f"{type(obj)._meta.model_name}_form"))


def history(obj):
    return list(Version.objects.get_for_object(obj).select_related("revision__user").order_by("pk"))


@pytest.fixture
def album():
    """A small album with three tracks: its change form is quick to open and post."""
    album = factories.AlbumFactory(title="Small Album", description="Twelve pieces recorded in Tokyo.")
    for position in (1, 2, 3):
        factories.TrackFactory(album=album, position=position, title=f"Piece {position}")
    return album


@pytest.fixture
def album_with_scoped_credit(reception):
    """The fixture album, one of whose credits names tracks (a many-to-many the revert must restore)."""
    reception.credits.get(position=2).tracks.set(reception.tracks.filter(position__in=[2, 3]))
    return reception


def test_reverting_an_album_restores_its_tracks_and_credits_exactly(editor_client, editor, album_with_scoped_credit):
    album = album_with_scoped_credit
    before = album_state(album)
    data = change_form(editor_client, album, "album_form")
    track = {t.position: row_index(data, "tracks", t.pk) for t in album.tracks.all()}
    credit = {c.position: row_index(data, "credits", c.pk) for c in album.credits.all()}
    data[f"tracks-{track[1]}-title"] = "Intro / Tokyo (renamed)"
    data[f"tracks-{track[3]}-DELETE"] = "on"  # Fantino: with a performer, an LP place and a credit
    data[f"tracks-{track[4]}-position"], data[f"tracks-{track[5]}-position"] = "5", "4"
    add_row(data, "tracks", disc="1", position="18", title="A New Bonus Track", length="3:01")
    data[f"credits-{credit[1]}-credited_as"] = "Richard Beggs (sound)"
    data[f"credits-{credit[18]}-DELETE"] = "on"
    artist = factories.ArtistFactory(name="Someone New")
    add_row(data, "credits", position="19", artist=str(artist.pk), role=str(Role.objects.first().pk))

    assert_saved(editor_client.post(admin_url(Album, "change", album.pk), data))

    edited = album_state(album)
    titles = dict(album.tracks.values_list("position", "title"))
    assert titles[1] == "Intro / Tokyo (renamed)" and titles[4] == "Girls" and titles[5] == "Tommib"
    assert titles[18] == "A New Bonus Track" and not album.tracks.filter(title="Fantino").exists()
    assert len(edited["edition tracks"]) == len(before["edition tracks"]) - 1
    assert album.credits.filter(artist=artist).exists() and not album.credits.filter(position=18).exists()

    first, change = history(album)
    assert (first.revision.comment, change.revision.user) == (FIRST_STATE, editor)
    assert_saved(revert(editor_client, album, first))

    assert album_state(album) == before
    assert "Reverted to previous version" in history(album)[-1].revision.comment


def test_reverting_to_the_latest_version_after_reverting_redoes_the_changes(editor_client, album):
    data = change_form(editor_client, album, "album_form")
    data[f"tracks-{row_index(data, 'tracks', album.tracks.get(position=2).pk)}-DELETE"] = "on"
    data["description"] = "Changed once."
    assert_saved(editor_client.post(admin_url(Album, "change", album.pk), data))
    edited = album_state(album)
    first, change = history(album)

    assert_saved(revert(editor_client, album, first))
    assert album.tracks.filter(position=2).exists()
    assert_saved(revert(editor_client, album, change))

    assert album_state(album) == edited


def test_history_page_says_who_changed_what_and_when(editor_client, editor, album):
    data = change_form(editor_client, album, "album_form")
    data["description"] = "Our new account of the album."
    assert_saved(editor_client.post(admin_url(Album, "change", album.pk), data))

    page = editor_client.get(admin_url(Album, "history", album.pk))

    assert page.status_code == 200
    table = parse(page.content).find(id="change-history")
    lines = [row.text for row in table.find_all("tr")[1:]]
    assert len(lines) == 2
    assert "editor" in lines[0] and "Changed Description" in lines[0]  # Latest first.
    assert FIRST_STATE in lines[1]
    latest = history(album)[-1]
    assert table.find("a", href=admin_url(Album, "revision", album.pk, latest.pk)) is not None


def test_diff_page_shows_the_changed_field(editor_client, album):
    old = album.description
    data = change_form(editor_client, album, "album_form")
    data["description"] = "A rewritten account of the album."
    assert_saved(editor_client.post(admin_url(Album, "change", album.pk), data))
    first, change = history(album)

    page = editor_client.get(
        admin_url(Album, "compare", album.pk),
        {"version_id1": first.pk, "version_id2": change.pk},
    )

    assert page.status_code == 200
    root = parse(page.content)
    assert "Description" in root.text
    inserted = " ".join(element.text for element in root.find_all("ins"))
    deleted = " ".join(element.text for element in root.find_all("del"))
    assert "rewritten" in inserted
    assert old.split()[0] in deleted
    assert "Title" not in {element.text.strip() for element in root.find_all("h3")}  # Unchanged fields are left out.


def test_diff_page_with_unknown_versions_is_not_found(editor_client, album):
    url = admin_url(Album, "compare", album.pk)
    for params in ({"version_id1": "x", "version_id2": "1"}, {"version_id1": "99999", "version_id2": "99998"}, {}):
        assert editor_client.get(url, params).status_code == 404


def test_staff_without_permission_see_no_history_or_diff(client, editor_client, album):
    data = change_form(editor_client, album, "album_form")
    data["description"] = "Changed."
    assert_saved(editor_client.post(admin_url(Album, "change", album.pk), data))
    first, change = history(album)
    staff = get_user_model().objects.create_user("staff-only", password=None, is_staff=True)
    client.force_login(staff)

    diff = client.get(admin_url(Album, "compare", album.pk), {"version_id1": first.pk, "version_id2": change.pk})
    pages = [client.get(admin_url(Album, view, *args)) for view, args in [
        ("history", [album.pk]), ("revision", [album.pk, first.pk]), ("recoverlist", []),
    ]]

    assert [response.status_code for response in [diff, *pages]] == [403, 403, 403, 403]


def test_a_deleted_review_can_be_recovered(editor_client, reception):
    review = reception.reviews.get(publication__slug="pitchfork")
    before = rows(Review.objects.filter(pk=review.pk), "updated_at")
    score_before = rows(AlbumScore.objects.filter(album=reception), "updated_at")

    response = editor_client.post(admin_url(Review, "delete", review.pk), {"post": "yes"})
    assert response.status_code == 302 and not Review.objects.filter(pk=review.pk).exists()
    assert rows(AlbumScore.objects.filter(album=reception), "updated_at") != score_before

    listing = editor_client.get(admin_url(Review, "recoverlist"))
    deleted = Version.objects.get_deleted(Review).get(object_id=str(review.pk))
    assert deleted.revision.comment == DELETED
    assert parse(listing.content).find("a", href=admin_url(Review, "recover", deleted.pk)) is not None
    page = editor_client.get(admin_url(Review, "recover", deleted.pk))
    assert page.status_code == 200
    assert_saved(editor_client.post(admin_url(Review, "recover", deleted.pk), form_data(page.content, "review_form")))

    assert rows(Review.objects.filter(pk=review.pk), "updated_at") == before
    assert rows(AlbumScore.objects.filter(album=reception), "updated_at") == score_before  # Signals ran.
    assert "There are no deleted objects" in text_of(editor_client.get(admin_url(Review, "recoverlist")))


def test_a_review_deleted_on_the_album_page_is_recovered_alone(editor_client, reception):
    review = reception.reviews.get(publication__name="Stylus Magazine")
    before = rows(Review.objects.filter(pk=review.pk), "updated_at")
    data = change_form(editor_client, reception, "album_form")
    data[f"reviews-{row_index(data, 'reviews', review.pk)}-DELETE"] = "on"
    data["title"] = "Lost in Translation (retitled)"
    assert_saved(editor_client.post(admin_url(Album, "change", reception.pk), data))

    deleted = Version.objects.get_deleted(Review).get(object_id=str(review.pk))
    page = editor_client.get(admin_url(Review, "recover", deleted.pk))
    assert_saved(editor_client.post(admin_url(Review, "recover", deleted.pk), form_data(page.content, "review_form")))

    assert rows(Review.objects.filter(pk=review.pk), "updated_at") == before
    assert Album.objects.get(pk=reception.pk).title == "Lost in Translation (retitled)"  # The album stays as edited.


def test_reviews_deleted_from_the_changelist_can_be_recovered(editor_client, reception):
    reviews = list(reception.reviews.order_by("pk")[:2])
    response = editor_client.post(admin_url(Review, "changelist"), {
        "action": "delete_selected", "_selected_action": [str(r.pk) for r in reviews], "post": "yes",
    })
    assert response.status_code == 302
    assert not Review.objects.filter(pk__in=[r.pk for r in reviews]).exists()

    deleted = Version.objects.get_deleted(Review)
    assert sorted(int(v.object_id) for v in deleted) == [r.pk for r in reviews]
    version = deleted.get(object_id=str(reviews[0].pk))
    page = editor_client.get(admin_url(Review, "recover", version.pk))
    assert_saved(editor_client.post(admin_url(Review, "recover", version.pk), form_data(page.content, "review_form")))
    assert Review.objects.filter(pk=reviews[0].pk).exists() and not Review.objects.filter(pk=reviews[1].pk).exists()


def test_a_deleted_album_comes_back_with_everything_on_its_page(editor_client, reception):
    before = album_state(reception)
    response = editor_client.post(admin_url(Album, "delete", reception.pk), {"post": "yes"})
    assert response.status_code == 302 and not Album.objects.filter(pk=reception.pk).exists()
    assert not Track.objects.filter(album_id=reception.pk).exists()

    deleted = Version.objects.get_deleted(Album).get(object_id=str(reception.pk))
    listing = parse(editor_client.get(admin_url(Album, "recoverlist")).content)
    assert listing.find("a", href=admin_url(Album, "recover", deleted.pk)) is not None
    page = editor_client.get(admin_url(Album, "recover", deleted.pk))
    assert page.status_code == 200
    assert_saved(editor_client.post(admin_url(Album, "recover", deleted.pk), form_data(page.content, "album_form")))

    assert album_state(reception) == before


def test_an_action_records_who_ran_it(editor_client, editor, album):
    response = editor_client.post(admin_url(Album, "changelist"), {
        "action": "unpublish", "_selected_action": [str(album.pk)],
    })
    assert response.status_code == 302
    assert Album.objects.get(pk=album.pk).status == Status.DRAFT

    first, action = history(album)
    assert first.revision.comment == FIRST_STATE and first.field_dict["status"] == Status.PUBLISHED
    assert action.revision.user == editor and action.field_dict["status"] == Status.DRAFT
    assert_saved(revert(editor_client, album, first))
    assert Album.objects.get(pk=album.pk).status == Status.PUBLISHED


def test_an_action_that_changes_nothing_records_nothing(editor_client):
    draft = factories.AlbumFactory(draft=True)
    response = editor_client.post(admin_url(Album, "changelist"), {
        "action": "unpublish", "_selected_action": [str(draft.pk)],
    })
    assert response.status_code == 302
    assert [v.revision.comment for v in history(draft)] == [FIRST_STATE]


@pytest.mark.parametrize("model, form_id, field, value", [
    (Review, "review_form", "quote", "A new pull quote."),
    (BestOfList, "bestoflist_form", "description", "Why the list matters."),
    (Article, "article_form", "standfirst", "A new standfirst."),
])
def test_reviews_lists_and_articles_have_history_diff_and_revert(
    editor_client, reception, model, form_id, field, value
):
    obj = model.objects.order_by("pk").first()
    old = getattr(obj, field)
    data = change_form(editor_client, obj, form_id)
    data[field] = value
    assert_saved(editor_client.post(admin_url(model, "change", obj.pk), data))

    first, change = history(obj)
    page = editor_client.get(admin_url(model, "history", obj.pk))
    diff = editor_client.get(admin_url(model, "compare", obj.pk), {"version_id1": first.pk, "version_id2": change.pk})
    assert page.status_code == diff.status_code == 200
    assert "Changed" in parse(page.content).find(id="change-history").text
    assert value.split()[-1].rstrip(".") in " ".join(e.text for e in parse(diff.content).find_all("ins"))

    assert_saved(revert(editor_client, obj, first))
    assert getattr(model.objects.get(pk=obj.pk), field) == old


def test_best_of_list_revert_restores_its_entries(editor_client, reception):
    best_of = BestOfList.objects.get(slug="pitchfork-50-best-movie-soundtracks")
    best_of.size = None
    best_of.save()
    others = [factories.ListEntryFactory(best_of_list=best_of) for _ in range(2)]
    before = rows(best_of.entries.all())
    data = change_form(editor_client, best_of, "bestoflist_form")
    data[f"entries-{row_index(data, 'entries', others[0].pk)}-DELETE"] = "on"
    data[f"entries-{row_index(data, 'entries', others[1].pk)}-blurb"] = "Moved up the list."
    assert_saved(editor_client.post(admin_url(BestOfList, "change", best_of.pk), data))
    assert len(rows(best_of.entries.all())) == len(before) - 1

    assert_saved(revert(editor_client, best_of, history(best_of)[0]))

    assert rows(best_of.entries.all()) == before
