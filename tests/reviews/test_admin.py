"""The editors' side of the reviews: every admin page opens, changelists filter and stay cheap."""

import pytest
from django.contrib import admin
from django.urls import reverse

from catalog.models import Album
from reviews import models
from tests import factories
from tests.pages import assert_changelist_queries_fixed, parse

pytestmark = pytest.mark.django_db

REVIEWS_ADMINS = sorted(
    (model for model in admin.site._registry if model._meta.app_label == "reviews"),
    key=lambda model: model._meta.model_name,
)


def admin_url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def result_rows(response):
    return parse(response.content).find(id="result_list").text


def test_the_reviews_app_registers_its_models():
    names = {model.__name__ for model in REVIEWS_ADMINS}
    assert names == {
        "Article", "Author", "BestOfList", "Commentary", "Critic", "ListEntry", "OutsideAggregate", "Publication",
        "Review",
    }
    # The stored aggregate is computed, never typed in.
    assert models.AlbumScore not in admin.site._registry


@pytest.mark.parametrize("model", REVIEWS_ADMINS, ids=lambda m: m._meta.model_name)
def test_every_admin_page_opens(editor_client, reception, model):
    obj = model._default_manager.first()
    assert obj is not None, f"no {model.__name__} in the fixture to open"

    changelist = editor_client.get(admin_url(model, "changelist"))
    add = editor_client.get(admin_url(model, "add"))
    change = editor_client.get(admin_url(model, "change", obj.pk))
    search = editor_client.get(admin_url(model, "changelist"), {"q": "Lost in Translation"})

    assert [r.status_code for r in (changelist, add, change, search)] == [200, 200, 200, 200]
    assert changelist.context["cl"].result_count >= 1
    assert add.context["add"] is True
    assert change.context["original"] == obj


def test_album_change_page_opens_with_every_reception_inline(editor_client, reception):
    response = editor_client.get(admin_url(Album, "change", reception.pk))
    assert response.status_code == 200
    prefixes = {formset.formset.prefix: formset.formset.total_form_count()
                for formset in response.context["inline_admin_formsets"]}
    assert prefixes["reviews"] == 5
    assert prefixes["outside_aggregates"] == 1
    assert prefixes["list_entries"] == 3
    assert prefixes["commentary"] == 2


def test_album_change_page_shows_the_computed_aggregate_read_only(editor_client, reception):
    response = editor_client.get(admin_url(Album, "change", reception.pk))
    root = parse(response.content)
    field = root.find(class_="field-aggregate")
    assert field is not None
    assert field.find("input") is None and field.find("select") is None  # read-only: nothing to type in
    assert "67" in field.text
    assert "mean of 3 scored review(s) out of 5 published" in field.text
    assert "not enough reviews" in field.text


def test_album_change_page_aggregate_gives_the_band_from_four_reviews(editor_client):
    album = factories.AlbumFactory()
    for _ in range(4):
        factories.ReviewFactory(album=album, rating_value=9)
    field = parse(editor_client.get(admin_url(Album, "change", album.pk)).content).find(class_="field-aggregate")
    assert "90 (Universal acclaim)" in field.text


def test_album_add_page_has_no_aggregate_yet(editor_client):
    field = parse(editor_client.get(admin_url(Album, "add")).content).find(class_="field-aggregate")
    assert "No scored reviews yet" in field.text


# Review changelist filters ------------------------------------------------------------------------


@pytest.fixture
def three_reviews():
    """One review per band that matters here, each from its own publication and on its own scale."""
    return {
        "acclaimed": factories.ReviewFactory(album__title="Acclaimed Album", stars=True, rating_value=5,
                                             publication__name="Uncut"),
        "mixed": factories.ReviewFactory(album__title="Mixed Album", rating_value=5, publication__name="Mojo"),
        "unrated": factories.ReviewFactory(album__title="Unrated Album", unscored=True, publication__name="Wire"),
    }


@pytest.mark.parametrize(
    ("params", "shown"),
    [
        ({"band": "acclaim"}, {"acclaimed"}),
        ({"band": "mixed"}, {"mixed"}),
        ({"band": "none"}, {"unrated"}),
        ({"band": "dislike"}, set()),
        ({"scale__exact": "stars"}, {"acclaimed"}),
        ({"scale__exact": "10"}, {"mixed"}),
        ({"scale__exact": "none"}, {"unrated"}),
        ({"status__exact": "published"}, {"acclaimed", "mixed", "unrated"}),
    ],
)
def test_review_changelist_filters(editor_client, three_reviews, params, shown):
    response = editor_client.get(admin_url(models.Review, "changelist"), params)
    assert response.status_code == 200
    listed = {name for name, review in three_reviews.items() if review.album.title in response.content.decode()}
    assert listed == shown


def test_review_changelist_filters_by_publication(editor_client, three_reviews):
    mojo = three_reviews["mixed"].publication
    response = editor_client.get(admin_url(models.Review, "changelist"), {"publication__id__exact": mojo.pk})
    rows = result_rows(response)
    assert "Mixed Album" in rows
    assert "Acclaimed Album" not in rows and "Unrated Album" not in rows


def test_review_changelist_shows_the_rating_as_published(editor_client, reception):
    rows = result_rows(editor_client.get(admin_url(models.Review, "changelist")))
    for printed in ("8/10", "6.3/10", "C+"):
        assert printed in rows


def test_article_changelist_links_to_the_page(editor_client, reception):
    article = models.Article.objects.get()
    root = parse(editor_client.get(admin_url(models.Article, "changelist")).content)
    assert root.find("a", href=article.get_absolute_url()) is not None


# Changelist query counts --------------------------------------------------------------------------


def _rows_for(model, count):
    """`count` rows of a registered model, with the relations its changelist shows."""
    builders = {
        models.Review: factories.ReviewFactory,
        models.Publication: factories.PublicationFactory,
        models.Critic: lambda: factories.CriticFactory(publications=factories.PublicationFactory.create_batch(2)),
        models.BestOfList: factories.BestOfListFactory,
        models.ListEntry: factories.ListEntryFactory,
        models.Commentary: factories.CommentaryFactory,
        models.OutsideAggregate: factories.OutsideAggregateFactory,
        models.Author: factories.AuthorFactory,
        models.Article: factories.ArticleFactory,
    }
    assert model in builders, f"add a row builder for {model.__name__}"
    for _ in range(count):
        builders[model]()


@pytest.mark.parametrize("model", REVIEWS_ADMINS, ids=lambda m: m._meta.model_name)
def test_changelist_queries_do_not_grow_with_rows(editor_client, django_assert_max_num_queries, model):
    assert_changelist_queries_fixed(
        editor_client, admin_url(model, "changelist"), lambda count: _rows_for(model, count),
        django_assert_max_num_queries,
    )
