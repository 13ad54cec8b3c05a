"""Bad input never reaches the database and never answers 500: editors see a form error, visitors a 404."""

import pytest
from django.urls import reverse

from catalog.models import Album
from reviews.models import AlbumScore, BestOfList, Critic, ListEntry, OutsideAggregate, Publication, Review
from tests import factories
from tests.pages import form_data, parse
from tests.reviews.test_scores import BAD_RATINGS

pytestmark = pytest.mark.django_db


def admin_url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def errors_shown(response):
    """The error texts the admin shows next to fields and formsets, in one string."""
    return " ".join(element.text for element in parse(response.content).find_all(class_="errorlist"))


def assert_refused(response, message=""):
    assert response.status_code == 200, "the admin should show the form again, with its errors"
    assert parse(response.content).find(class_="errornote") is not None
    assert message.lower() in errors_shown(response).lower()


def admin_form(client, url, form_id):
    data = form_data(client.get(url).content, form_id=form_id)
    data["_save"] = "Save"
    return data


def as_post(rating):
    return {field: str(rating.get(field, "") or "") for field in ("scale", "rating_value", "out_of", "grade")}


# Ratings outside their scale -----------------------------------------------------------------------


@pytest.mark.parametrize(("rating", "field", "message"), BAD_RATINGS)
def test_review_admin_refuses(editor_client, rating, field, message):
    album = factories.AlbumFactory()
    data = admin_form(editor_client, admin_url(Review, "add"), "review_form")
    data.update({
        "album": str(album.pk), "publication": str(factories.PublicationFactory().pk), "date": "2003",
        "status": "published", **as_post(rating),
    })

    response = editor_client.post(admin_url(Review, "add"), data)

    assert_refused(response, message)
    assert not Review.objects.exists()
    assert not AlbumScore.objects.exists()


# The inline goes through the same model validation as the review form; one case of each kind of rule.
INLINE_CASES = ["6-of-5-stars", "3.3-stars", "grade-Z", "negative-of-10", "value-on-scale-none", "stars-without-out-of"]


@pytest.mark.parametrize(("rating", "field", "message"), [case for case in BAD_RATINGS if case.id in INLINE_CASES])
def test_album_review_inline_refuses(editor_client, rating, field, message):
    album = factories.AlbumFactory()
    kept = factories.ReviewFactory(album=album, rating_value=7)
    data = admin_form(editor_client, admin_url(Album, "change", album.pk), "album_form")
    new = int(data["reviews-TOTAL_FORMS"])
    data["reviews-TOTAL_FORMS"] = str(new + 1)
    data.update({
        f"reviews-{new}-publication": str(factories.PublicationFactory().pk), f"reviews-{new}-date": "2003",
        f"reviews-{new}-status": "published",
        **{f"reviews-{new}-{name}": value for name, value in as_post(rating).items()},
    })

    response = editor_client.post(admin_url(Album, "change", album.pk), data)

    assert_refused(response, message)
    assert list(Review.objects.all()) == [kept]
    assert AlbumScore.objects.get(album=album).score == 70


def test_editing_a_rating_out_of_its_scale_keeps_the_old_one(editor_client):
    review = factories.ReviewFactory(stars=True, rating_value=4)
    data = admin_form(editor_client, admin_url(Review, "change", review.pk), "review_form")
    data["rating_value"] = "5.5"

    assert_refused(editor_client.post(admin_url(Review, "change", review.pk), data), "maximum of 5")
    review.refresh_from_db()
    assert (review.rating_value, review.score) == (4, 80)


def test_a_second_review_from_the_same_publication(editor_client):
    first = factories.ReviewFactory()
    data = admin_form(editor_client, admin_url(Review, "add"), "review_form")
    data.update({"album": str(first.album.pk), "publication": str(first.publication.pk), "date": "2004",
                 "status": "published", "scale": "10", "rating_value": "5"})

    assert_refused(editor_client.post(admin_url(Review, "add"), data))
    assert Review.objects.count() == 1


def test_outside_aggregate_above_100(editor_client):
    album = factories.AlbumFactory()
    data = admin_form(editor_client, admin_url(OutsideAggregate, "add"), "outsideaggregate_form")
    data.update({"album": str(album.pk), "source": "Metacritic", "score": "101", "review_count": "9"})

    assert_refused(editor_client.post(admin_url(OutsideAggregate, "add"), data))
    assert not OutsideAggregate.objects.exists()


@pytest.mark.parametrize("model", [Publication, Critic], ids=["publication", "critic"])
def test_deleting_a_publication_or_critic_with_reviews(editor_client, reception, model):
    """Reviews protect their publication and critic: the admin explains instead of deleting or failing."""
    obj = model.objects.get(slug="pitchfork" if model is Publication else "mark-richardson")

    response = editor_client.post(admin_url(model, "delete", obj.pk), {"post": "yes"})

    assert response.status_code == 200
    assert "would require deleting the following protected related objects" in parse(response.content).text
    assert model.objects.filter(pk=obj.pk).exists()
    assert Review.objects.filter(album=reception).count() == 5


# Ranks in best-of lists -----------------------------------------------------------------------------


@pytest.fixture
def ranked_list():
    """A ranked top 10 with two albums at 1 and 2."""
    best_of = factories.BestOfListFactory(size=10)
    factories.ListEntryFactory(best_of_list=best_of, rank=1)
    factories.ListEntryFactory(best_of_list=best_of, rank=2)
    return best_of


def list_form(client, best_of):
    return admin_form(client, admin_url(BestOfList, "change", best_of.pk), "bestoflist_form")


def entry_ranks(best_of):
    return list(best_of.entries.order_by("rank").values_list("rank", flat=True))


def add_entry_row(data, **values):
    new = int(data["entries-TOTAL_FORMS"])
    data["entries-TOTAL_FORMS"] = str(new + 1)
    data.update({f"entries-{new}-{name}": str(value) for name, value in values.items()})
    data.setdefault(f"entries-{new}-album", str(factories.AlbumFactory().pk))


def test_duplicate_rank_in_the_list_inline(editor_client, ranked_list):
    data = list_form(editor_client, ranked_list)
    data["entries-1-rank"] = data["entries-0-rank"]

    assert_refused(editor_client.post(admin_url(BestOfList, "change", ranked_list.pk), data), "rank")
    assert entry_ranks(ranked_list) == [1, 2]


def test_duplicate_rank_added_in_the_list_inline(editor_client, ranked_list):
    data = list_form(editor_client, ranked_list)
    add_entry_row(data, rank=2)

    assert_refused(editor_client.post(admin_url(BestOfList, "change", ranked_list.pk), data), "rank")
    assert entry_ranks(ranked_list) == [1, 2]


def test_rank_above_the_list_size(editor_client, ranked_list):
    data = list_form(editor_client, ranked_list)
    add_entry_row(data, rank=11)

    assert_refused(editor_client.post(admin_url(BestOfList, "change", ranked_list.pk), data), "from 1 to 10")
    assert entry_ranks(ranked_list) == [1, 2]


def test_ranked_entry_without_a_rank(editor_client, ranked_list):
    data = list_form(editor_client, ranked_list)
    add_entry_row(data, rank="")

    assert_refused(editor_client.post(admin_url(BestOfList, "change", ranked_list.pk), data), "list is ranked")
    assert entry_ranks(ranked_list) == [1, 2]


def test_rank_on_an_unranked_list(editor_client):
    unranked = factories.BestOfListFactory(unranked=True)
    factories.ListEntryFactory(best_of_list=unranked)
    data = list_form(editor_client, unranked)
    add_entry_row(data, rank=3)

    assert_refused(editor_client.post(admin_url(BestOfList, "change", unranked.pk), data), "unranked")
    assert entry_ranks(unranked) == [None]


def test_unticking_ranked_on_a_list_with_ranks(editor_client, ranked_list):
    data = list_form(editor_client, ranked_list)
    del data["is_ranked"]

    assert_refused(editor_client.post(admin_url(BestOfList, "change", ranked_list.pk), data), "unranked")
    ranked_list.refresh_from_db()
    assert ranked_list.is_ranked


def new_list_data(client, **changes):
    data = admin_form(client, admin_url(BestOfList, "add"), "bestoflist_form")
    data.update({"publication": str(factories.PublicationFactory().pk), "title": "Top Ten", "slug": "top-ten",
                 "published": "2020", "size": "10", "is_ranked": "on", "status": "published"})
    data.update(changes)
    return data


def test_duplicate_rank_on_a_new_list(editor_client):
    data = new_list_data(editor_client)
    add_entry_row(data, rank=1)
    add_entry_row(data, rank=1)

    assert_refused(editor_client.post(admin_url(BestOfList, "add"), data))
    assert not BestOfList.objects.exists() and not ListEntry.objects.exists()


def test_rank_above_the_size_on_a_new_list(editor_client):
    """The list's rules hold for entries typed on its add page, before the list itself is saved."""
    data = new_list_data(editor_client)
    add_entry_row(data, rank=11)

    assert_refused(editor_client.post(admin_url(BestOfList, "add"), data), "from 1 to 10")
    assert not BestOfList.objects.exists()


def test_rank_on_a_new_unranked_list(editor_client):
    data = new_list_data(editor_client)
    del data["is_ranked"]
    add_entry_row(data, rank=3)

    assert_refused(editor_client.post(admin_url(BestOfList, "add"), data), "unranked")
    assert not BestOfList.objects.exists()


def test_rank_taken_by_another_album_from_the_album_page(editor_client, ranked_list):
    album = factories.AlbumFactory()
    data = admin_form(editor_client, admin_url(Album, "change", album.pk), "album_form")
    data["list_entries-TOTAL_FORMS"] = "1"
    data.update({"list_entries-0-best_of_list": str(ranked_list.pk), "list_entries-0-rank": "1"})

    assert_refused(editor_client.post(admin_url(Album, "change", album.pk), data), "rank")
    assert not album.list_entries.exists()


def test_rank_on_an_unranked_list_from_the_album_page(editor_client):
    album = factories.AlbumFactory()
    unranked = factories.BestOfListFactory(unranked=True)
    data = admin_form(editor_client, admin_url(Album, "change", album.pk), "album_form")
    data["list_entries-TOTAL_FORMS"] = "1"
    data.update({"list_entries-0-best_of_list": str(unranked.pk), "list_entries-0-rank": "4"})

    assert_refused(editor_client.post(admin_url(Album, "change", album.pk), data), "unranked")
    assert not album.list_entries.exists()


# Visitors: unknown or hidden pages are 404, garbage page numbers are not errors -------------------------


@pytest.mark.parametrize("name", ["publication-detail", "critic-detail", "list-detail", "article-detail"])
def test_unknown_slugs(client, name):
    assert client.get(reverse(f"reviews:{name}", kwargs={"slug": "no-such-thing"})).status_code == 404


def test_draft_list_is_hidden(client):
    best_of = factories.BestOfListFactory(draft=True)
    assert client.get(best_of.get_absolute_url()).status_code == 404


@pytest.mark.parametrize("page", ["abc", "0", "-1", "999", "1.5", "", "%00", "1' OR '1'='1", "9" * 30])
def test_garbage_page_numbers(client, page):
    review = factories.ReviewFactory()
    factories.ArticleFactory()
    factories.BestOfListFactory()
    urls = [
        reverse(f"reviews:{name}")
        for name in ("review-list", "publication-list", "critic-list", "list-list", "article-list")
    ] + [review.publication.get_absolute_url(), review.critic.get_absolute_url()]
    for url in urls:
        assert client.get(url, {"page": page}).status_code == 200, url
