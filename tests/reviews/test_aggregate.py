"""The album's aggregate follows every editor action, as the next visitor to the album page sees it.

The fixture's album starts at 67: the mean of Drowned in Sound's 8/10 (80), Pitchfork's 6.3/10 (63) and
Stylus's C+ (58); AllMusic and Consequence of Sound gave no rating. Three scored reviews give no verdict.
"""

import datetime
from urllib.parse import urlsplit

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse

from catalog.models import Album, Status
from reviews.models import AlbumScore, Publication, Review
from tests import factories
from tests.pages import form_data, parse
from tests.reviews.album_page import our_score
from tests.test_seo import sitemap

pytestmark = pytest.mark.django_db


def admin_url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def saved(response):
    assert response.status_code == 302, parse(response.content).find(class_="errornote") or response.status_code


def assert_score(client, album, number, band, basis):
    shown = our_score(client, album)
    assert (shown.number, shown.band) == (number, band)
    assert basis in shown.basis


def review(album, publication_slug):
    return Review.objects.get(album=album, publication__slug=publication_slug)


def test_the_fixture_starts_at_67_without_a_verdict(visitor, reception):
    assert_score(visitor, reception, "67", "No verdict yet", "Not enough reviews yet for a verdict: 3 scored reviews")


# On the album's own admin page (the review inline) -------------------------------------------------


def album_form(client, album):
    data = form_data(client.get(admin_url(Album, "change", album.pk)).content, form_id="album_form")
    data["_save"] = "Save"
    return data


def inline_index(data, obj):
    total = int(data["reviews-TOTAL_FORMS"])
    return next(i for i in range(total) if data.get(f"reviews-{i}-id") == str(obj.pk))


def test_inline_add_a_fourth_scored_review(editor_client, visitor, reception):
    data = album_form(editor_client, reception)
    new = int(data["reviews-TOTAL_FORMS"])
    data["reviews-TOTAL_FORMS"] = str(new + 1)
    data.update({
        f"reviews-{new}-publication": str(factories.PublicationFactory(name="Uncut").pk),
        f"reviews-{new}-date": "2003-10",
        f"reviews-{new}-status": "published",
        f"reviews-{new}-scale": "10",
        f"reviews-{new}-rating_value": "9",
        f"reviews-{new}-quote": "A dream",
    })

    saved(editor_client.post(admin_url(Album, "change", reception.pk), data))

    # (80 + 63 + 58 + 90) / 4 = 72.75
    assert_score(visitor, reception, "73", "Generally favorable", "From 4 scored reviews; 6 reviews in all.")


def test_inline_edit_a_rating(editor_client, visitor, reception):
    data = album_form(editor_client, reception)
    data[f"reviews-{inline_index(data, review(reception, 'pitchfork'))}-rating_value"] = "8.3"

    saved(editor_client.post(admin_url(Album, "change", reception.pk), data))

    assert review(reception, "pitchfork").score == 83
    assert_score(visitor, reception, "74", "No verdict yet", "3 scored reviews")  # (80 + 83 + 58) / 3 = 73.67


def test_inline_unpublish_a_review(editor_client, visitor, reception):
    data = album_form(editor_client, reception)
    data[f"reviews-{inline_index(data, review(reception, 'drowned-in-sound'))}-status"] = "draft"

    saved(editor_client.post(admin_url(Album, "change", reception.pk), data))

    assert_score(visitor, reception, "61", "No verdict yet", "2 scored reviews")  # (63 + 58) / 2 = 60.5


def test_inline_delete_a_review(editor_client, visitor, reception):
    data = album_form(editor_client, reception)
    data[f"reviews-{inline_index(data, review(reception, 'stylus-magazine'))}-DELETE"] = "on"

    saved(editor_client.post(admin_url(Album, "change", reception.pk), data))

    assert not Review.objects.filter(publication__slug="stylus-magazine").exists()
    assert_score(visitor, reception, "72", "No verdict yet", "2 scored reviews")  # (80 + 63) / 2 = 71.5


def test_new_album_with_its_reviews_in_one_form(editor_client, visitor):
    data = form_data(editor_client.get(admin_url(Album, "add")).content, form_id="album_form")
    data.update({"title": "Somewhere", "slug": "somewhere", "album_type": "soundtrack", "status": "published",
                 "release_date": "2010", "_save": "Save"})
    data["reviews-TOTAL_FORMS"] = "4"
    for i, grade in enumerate(["A", "B", "C", "D"]):
        data.update({f"reviews-{i}-publication": str(factories.PublicationFactory().pk), f"reviews-{i}-date": "2010",
                     f"reviews-{i}-status": "published", f"reviews-{i}-scale": "letter", f"reviews-{i}-grade": grade})

    saved(editor_client.post(admin_url(Album, "add"), data))

    album = Album.objects.get(slug="somewhere")
    assert_score(visitor, album, "63", "Generally favorable", "From 4 scored reviews.")  # 250 / 4 = 62.5


# On the review admin --------------------------------------------------------------------------------


def review_form(client, obj=None):
    url = admin_url(Review, "change", obj.pk) if obj else admin_url(Review, "add")
    data = form_data(client.get(url).content, form_id="review_form")
    data["_save"] = "Save"
    return data


def test_review_admin_add(editor_client, visitor, reception):
    data = review_form(editor_client)
    data.update({
        "album": str(reception.pk),
        "publication": str(factories.PublicationFactory(name="Uncut").pk),
        "date": "2003-10",
        "status": "published",
        "scale": "stars",
        "rating_value": "4.5",
        "out_of": "5",
    })

    saved(editor_client.post(admin_url(Review, "add"), data))

    assert review(reception, "uncut").score == 90
    assert_score(visitor, reception, "73", "Generally favorable", "From 4 scored reviews")  # 291 / 4


def test_review_admin_edit_to_a_letter_grade(editor_client, visitor, reception):
    pitchfork = review(reception, "pitchfork")
    data = review_form(editor_client, pitchfork)
    data.update({"scale": "letter", "rating_value": "", "grade": "A-"})

    saved(editor_client.post(admin_url(Review, "change", pitchfork.pk), data))

    assert_score(visitor, reception, "76", "No verdict yet", "3 scored reviews")  # (80 + 91 + 58) / 3 = 76.3


def test_review_admin_unpublish(editor_client, visitor, reception):
    stylus = review(reception, "stylus-magazine")
    data = review_form(editor_client, stylus)
    data["status"] = "draft"

    saved(editor_client.post(admin_url(Review, "change", stylus.pk), data))

    assert_score(visitor, reception, "72", "No verdict yet", "2 scored reviews")


def test_review_admin_delete(editor_client, visitor, reception):
    drowned = review(reception, "drowned-in-sound")

    saved(editor_client.post(admin_url(Review, "delete", drowned.pk), {"post": "yes"}))

    assert_score(visitor, reception, "61", "No verdict yet", "2 scored reviews")


def test_moving_a_review_to_another_album_updates_both(editor_client, visitor, reception):
    other = factories.AlbumFactory(title="Marie Antoinette")
    drowned = review(reception, "drowned-in-sound")
    data = review_form(editor_client, drowned)
    data["album"] = str(other.pk)

    saved(editor_client.post(admin_url(Review, "change", drowned.pk), data))

    assert_score(visitor, reception, "61", "No verdict yet", "2 scored reviews")
    assert_score(visitor, other, "80", "No verdict yet", "1 scored review,")


# Bulk actions on the review changelist --------------------------------------------------------------


def bulk(client, action, reviews, **extra):
    return client.post(admin_url(Review, "changelist"), {
        "action": action, "_selected_action": [str(r.pk) for r in reviews], "index": "0", **extra,
    })


def test_bulk_unpublish_then_publish(editor_client, visitor, reception):
    other = factories.AlbumFactory()
    other_reviews = factories.ReviewFactory.create_batch(4, album=other, rating_value=9)
    chosen = [review(reception, "drowned-in-sound"), review(reception, "pitchfork"), other_reviews[0]]

    saved(bulk(editor_client, "unpublish", chosen))

    assert_score(visitor, reception, "58", "No verdict yet", "1 scored review,")
    assert_score(visitor, other, "90", "No verdict yet", "3 scored reviews")  # one album's verdict goes

    saved(bulk(editor_client, "publish_now", chosen))

    assert_score(visitor, reception, "67", "No verdict yet", "3 scored reviews")
    assert_score(visitor, other, "90", "Universal acclaim", "From 4 scored reviews")


def test_bulk_delete(editor_client, visitor, reception):
    chosen = [review(reception, "drowned-in-sound"), review(reception, "stylus-magazine")]

    confirm = bulk(editor_client, "delete_selected", chosen)
    assert confirm.status_code == 200  # Django's "are you sure?" page
    saved(bulk(editor_client, "delete_selected", chosen, post="yes"))

    assert Review.objects.filter(album=reception).count() == 3
    assert_score(visitor, reception, "63", "No verdict yet", "1 scored review,")


def test_bulk_delete_of_every_scored_review(editor_client, visitor, reception):
    saved(bulk(editor_client, "delete_selected", list(Review.objects.scored()), post="yes"))

    shown = our_score(visitor, reception)
    assert shown.number == ""
    assert "No scored reviews yet" in shown.basis


# Verdicts and album status -------------------------------------------------------------------------


def test_three_scored_reviews_give_no_verdict_and_four_do(visitor):
    album = factories.AlbumFactory()
    factories.ReviewFactory(album=album, unscored=True)  # counted among the reviews, not in the score
    for value in (9, 8, 8):
        factories.ReviewFactory(album=album, rating_value=value)

    assert_score(visitor, album, "83", "No verdict yet",
                 "Not enough reviews yet for a verdict: 3 scored reviews, 4 needed")

    factories.ReviewFactory(album=album, letter=True, grade="A")
    # (90 + 80 + 80 + 100) / 4 = 87.5, rounded half up
    assert_score(visitor, album, "88", "Universal acclaim", "From 4 scored reviews; 5 reviews in all.")


def test_draft_reviews_are_left_out(visitor):
    album = factories.AlbumFactory()
    factories.ReviewFactory.create_batch(4, album=album, rating_value=6)
    factories.ReviewFactory(album=album, rating_value=10, draft=True)
    assert_score(visitor, album, "60", "Mixed or average", "From 4 scored reviews.")


def test_publishing_a_draft_album_shows_its_aggregate_at_once(editor_client, visitor):
    album = factories.AlbumFactory(draft=True)
    factories.ReviewFactory.create_batch(4, album=album, stars=True, rating_value=4)
    assert visitor.get(album.get_absolute_url()).status_code == 404

    response = editor_client.post(admin_url(Album, "changelist"), {
        "action": "publish_now", "_selected_action": [str(album.pk)], "index": "0",
    })
    saved(response)

    assert_score(visitor, album, "80", "Generally favorable", "From 4 scored reviews.")


# Deleting albums ------------------------------------------------------------------------------------


def test_deleting_an_album_with_reviews(editor_client, reception):
    saved(editor_client.post(admin_url(Album, "delete", reception.pk), {"post": "yes"}))

    assert not Album.objects.filter(pk=reception.pk).exists()
    assert not Review.objects.exists()
    assert not AlbumScore.objects.exists()
    assert Publication.objects.filter(slug="pitchfork").exists()  # publications outlive their reviews


def test_bulk_deleting_albums_with_reviews(editor_client):
    albums = factories.AlbumFactory.create_batch(2)
    keep = factories.AlbumFactory()
    for album in [*albums, keep]:
        factories.ReviewFactory.create_batch(2, album=album)

    saved(editor_client.post(admin_url(Album, "changelist"), {
        "action": "delete_selected", "_selected_action": [str(a.pk) for a in albums], "index": "0", "post": "yes",
    }))

    assert list(AlbumScore.objects.values_list("album", flat=True)) == [keep.pk]
    assert Review.objects.count() == 2


def test_album_status_does_not_change_the_stored_aggregate(reception):
    """A draft album's score is kept (for the day it is published), but its reviews are not shown."""
    Album.objects.filter(pk=reception.pk).update(status=Status.DRAFT)
    AlbumScore.refresh(reception.pk)
    assert AlbumScore.objects.get(album=reception).score == 67
    assert not Review.objects.published().exists()


def test_refresh_scores_command_repairs_aggregates_written_around_the_signals(visitor):
    """Bulk writes send no signals; the management command recomputes every album's aggregate."""
    album = factories.AlbumFactory()
    Review.objects.bulk_create([
        factories.ReviewFactory.build(album=album, publication=publication, critic=None, rating_value=5, score=50)
        for publication in factories.PublicationFactory.create_batch(4)
    ])
    assert not AlbumScore.objects.filter(album=album).exists()

    call_command("refresh_scores")

    assert_score(visitor, album, "50", "Mixed or average", "From 4 scored reviews.")


# What the sitemap tells the world -----------------------------------------------------------------------

# After the fixtures go live, and late enough that an hour later is the next day: the sitemap gives dates.
START = datetime.datetime(2027, 3, 2, 23, 30, tzinfo=datetime.UTC)


def album_lastmod(client, album):
    return next(lastmod for location, lastmod in sitemap(client).items()
                if urlsplit(location).path == album.get_absolute_url())


@pytest.fixture
def clock(db):
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


def an_hour_later(clock):
    clock.shift(datetime.timedelta(hours=1))  # the next day, in the editor's 8-hour session


def test_a_draft_review_added_in_the_admin_leaves_the_sitemap_date(clock, editor_client, visitor, reception):
    before = album_lastmod(visitor, reception)
    assert before == "2027-03-02"
    an_hour_later(clock)
    data = review_form(editor_client)
    data.update({"album": str(reception.pk), "publication": str(factories.PublicationFactory(name="Uncut").pk),
                 "date": "2003-10", "status": "draft", "scale": "10", "rating_value": "2"})

    saved(editor_client.post(admin_url(Review, "add"), data))

    assert review(reception, "uncut").status == Status.DRAFT
    assert album_lastmod(visitor, reception) == before
    assert_score(visitor, reception, "67", "No verdict yet", "3 scored reviews")


def test_a_draft_review_edited_in_the_admin_leaves_the_sitemap_date(clock, editor_client, visitor, reception):
    draft = factories.ReviewFactory(album=reception, draft=True, scale="10", rating_value=9, score=90)
    before = album_lastmod(visitor, reception)
    assert before == "2027-03-02"
    an_hour_later(clock)
    data = review_form(editor_client, draft)
    data.update({"rating_value": "3", "quote": "On second thoughts"})

    saved(editor_client.post(admin_url(Review, "change", draft.pk), data))

    draft.refresh_from_db()
    assert (draft.score, draft.quote) == (30, "On second thoughts")
    assert album_lastmod(visitor, reception) == before


def test_a_newly_scheduled_review_leaves_the_sitemap_date_until_it_goes_live(clock, editor_client, visitor,
                                                                           reception):
    before = album_lastmod(visitor, reception)
    assert before == "2027-03-02"
    an_hour_later(clock)
    data = review_form(editor_client)
    goes_live = START + datetime.timedelta(hours=3)
    data.update({"album": str(reception.pk), "publication": str(factories.PublicationFactory(name="Uncut").pk),
                 "date": "2003-10", "status": "published", "publish_at_0": f"{goes_live:%Y-%m-%d}",
                 "publish_at_1": f"{goes_live:%H:%M:%S}", "scale": "10", "rating_value": "9"})

    saved(editor_client.post(admin_url(Review, "add"), data))

    assert AlbumScore.objects.get(album=reception).next_change_at == goes_live
    assert album_lastmod(visitor, reception) == before
    clock.move_to(goes_live + datetime.timedelta(minutes=1))
    assert album_lastmod(visitor, reception) != before  # now it is on the page: (80 + 63 + 58 + 90) / 4
    assert_score(visitor, reception, "73", "Generally favorable", "From 4 scored reviews")


def test_a_published_review_moves_the_sitemap_date(clock, editor_client, visitor, reception):
    """The other side: a change that visitors see does date the album page anew."""
    before = album_lastmod(visitor, reception)
    assert before == "2027-03-02"
    an_hour_later(clock)
    pitchfork = review(reception, "pitchfork")
    data = review_form(editor_client, pitchfork)
    data["rating_value"] = "8.3"

    saved(editor_client.post(admin_url(Review, "change", pitchfork.pk), data))

    after = album_lastmod(visitor, reception)
    assert after > before
    assert after == "2027-03-03"


# The timeline: scheduled reviews join one after the other, with nothing written meanwhile ---------------------


def by_score(client):
    root = parse(client.get(reverse("catalog:album-list"), {"sort": "-score"}).content)
    return [(card.find(class_="card__title").text.strip(), card.find(class_="score__number").text.split()[0])
            for card in root.find_all(class_="card") if card.find(class_="score__number")]


def test_two_scheduled_reviews_join_the_aggregate_each_on_its_minute(clock, visitor):
    rising, steady = factories.AlbumFactory(title="Rising"), factories.AlbumFactory(title="Steady")
    factories.ReviewFactory.create_batch(4, album=rising, rating_value=6)
    factories.ReviewFactory.create_batch(4, album=steady, rating_value=7)
    first, second = START + datetime.timedelta(hours=2), START + datetime.timedelta(days=3)
    factories.ReviewFactory(album=rising, rating_value=10, publish_at=first)
    factories.ReviewFactory(album=rising, rating_value=10, publish_at=second)

    assert by_score(visitor) == [("Steady", "70"), ("Rising", "60")]
    assert_score(visitor, rising, "60", "Mixed or average", "From 4 scored reviews.")
    clock.move_to(first + datetime.timedelta(minutes=1))
    assert by_score(visitor) == [("Steady", "70"), ("Rising", "68")]  # (4 × 60 + 100) / 5
    assert_score(visitor, rising, "68", "Generally favorable", "From 5 scored reviews.")
    clock.move_to(second + datetime.timedelta(minutes=1))
    assert by_score(visitor) == [("Rising", "73"), ("Steady", "70")]  # (4 × 60 + 2 × 100) / 6
    assert_score(visitor, rising, "73", "Generally favorable", "From 6 scored reviews.")
    assert AlbumScore.objects.get(album=rising).next_change_at is None


def test_an_edit_after_a_review_went_live_keeps_the_sitemap_date_it_gave(clock, editor_client, visitor, reception):
    goes_live = START + datetime.timedelta(hours=3)  # the next day
    factories.ReviewFactory(album=reception, rating_value=9, publish_at=goes_live)
    assert album_lastmod(visitor, reception) == "2027-03-02"
    clock.move_to(goes_live + datetime.timedelta(days=2))
    assert album_lastmod(visitor, reception) == "2027-03-03"

    # A draft review recomputes the timeline, which no longer holds the period that began on the 3rd.
    factories.ReviewFactory(album=reception, rating_value=2, draft=True)

    assert album_lastmod(visitor, reception) == "2027-03-03"
    assert_score(visitor, reception, "73", "Generally favorable", "From 4 scored reviews")
