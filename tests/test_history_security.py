"""Revert and recover save a whole revision: only what the admin's model holds, and nothing published
unless the user may publish it (issue 10, findings 1 and 2).

A contributor may save a version only if it changes, deletes or brings back no published or scheduled
item, as it is now or as it was in the version: an album's reviews and its places in best-of lists
count, since an album's revision holds them. Everything goes through the admin as a contributor would
use it, or forge it; an Editor (who may publish) reverts as before.
"""

import pytest
import reversion
from django.apps import apps
from django.contrib import admin
from django.contrib.auth.models import Group
from django.test import Client
from reversion.models import Version

from catalog.admin.history import BELONGS_TO, FOLLOWS, HistoryAdmin
from catalog.models import Album, Status
from catalog.models.base import Publishable
from reviews.models import Article, BestOfList, ListEntry, Review
from soundtrack_site.roles import CONTRIBUTOR, EDITOR
from tests import factories
from tests.factories import log_in_verified
from tests.pages import form_data, parse, text_of
from tests.test_revisions import add_row, admin_url, album_state, assert_saved, history, row_index, rows

pytestmark = pytest.mark.django_db

# Far above what the sequences reach in a test: an item of each model can be given the same id.
SHARED_ID = 900_001

# Each admin with history: how to make a draft (with an id of our choosing) and a text field to change.
SUBJECTS = {
    Album: (factories.AlbumFactory, "description"),
    Review: (factories.ReviewFactory, "quote"),
    BestOfList: (factories.BestOfListFactory, "description"),
    Article: (factories.ArticleFactory, "standfirst"),
}
REFUSED = "Only an editor who may publish them can save this version"


def make_draft(model, **kwargs):
    factory, field = SUBJECTS[model]
    return factory(draft=True, **{field: "As first written."}, **kwargs)


def form_id(model):
    return f"{model._meta.model_name}_form"


def change(client, obj, **values):
    """Post obj's change form as the client sees it, with these values."""
    url = admin_url(type(obj), "change", obj.pk)
    data = form_data(client.get(url).content, form_id=form_id(type(obj)))
    data.update(values)
    assert_saved(client.post(url, data))


def publish(client, obj, **values):
    """Publish obj from its change form (an Editor's), with a publish time in the past."""
    field = obj.publish_field
    change(client, obj, status=Status.PUBLISHED, **{f"{field}_0": "2020-01-01", f"{field}_1": "12:00:00"}, **values)


def state(obj):
    return rows(type(obj)._base_manager.filter(pk=obj.pk), "updated_at")


def role_client(django_user_model, role):
    user = django_user_model.objects.create_user(role.lower(), is_staff=True)
    user.groups.add(Group.objects.get(name=role))
    return log_in_verified(Client(), user)  # Editors need a second factor; contributors pass it too.


@pytest.fixture
def contributor(django_user_model):
    return role_client(django_user_model, CONTRIBUTOR)


@pytest.fixture
def editor(django_user_model):
    return role_client(django_user_model, EDITOR)


def assert_refused_page(response):
    """The version is shown as it was, with why it cannot be saved and nothing to save."""
    assert response.status_code == 200
    root = parse(response.content)
    assert REFUSED in root.find("ul", class_="messagelist").text
    assert root.find("input", name="_save") is None
    return response


def assert_refused_save(response, *names):
    """A 403 saying why, naming the published items the save would have touched."""
    assert response.status_code == 403
    assert REFUSED in text_of(response)
    for name in names:
        assert f"“{name}”" in text_of(response)


def save_version(client, url, model, shown_to=None):
    """Open a revert or recover page and press Save. A contributor sees the version view-only, so their
    post is forged from the form as shown to an Editor (`shown_to`)."""
    page = (shown_to or client).get(url)
    assert page.status_code == 200
    return client.post(url, form_data(page.content, form_id=form_id(model)))


# Every admin with history ------------------------------------------------------------------------------


def test_the_admins_with_history_are_the_ones_tested_here():
    with_history = {model for model in apps.get_models()
                    if admin.site.is_registered(model) and isinstance(admin.site.get_model_admin(model), HistoryAdmin)}
    assert with_history == set(SUBJECTS)


def test_every_row_a_revision_holds_is_publishable_or_belongs_to_something_that_is():
    """What a revert may write is checked item by item: a model the check cannot place is refused to all
    but superusers, so a newly registered model must say (BELONGS_TO) what it belongs to."""
    assert set(FOLLOWS) == set(reversion.get_registered_models())  # All registered by catalog.admin.history.register.
    for model in reversion.get_registered_models():
        while not issubclass(model, Publishable):
            assert model in BELONGS_TO, model
            relation = BELONGS_TO[model]
            if admin.site.is_registered(model):  # The rule the admin itself applies to the model's rows.
                assert admin.site.get_model_admin(model).publishable == relation, model
            model = model._meta.get_field(relation).related_model


# Finding 1: a version of another model ------------------------------------------------------------------


PAIRS = [(own, other) for own in SUBJECTS for other in SUBJECTS if own is not other]


@pytest.mark.parametrize(("own_model", "other_model"), PAIRS, ids=lambda m: m._meta.model_name)
def test_revert_and_recover_refuse_a_version_of_another_model(contributor, editor, own_model, other_model):
    """A contributor's draft that shares its id with a published item of another model cannot reach its
    versions: not by the draft's history, not by the recover page, whatever is posted."""
    published = make_draft(other_model, pk=SHARED_ID)
    publish(editor, published, **{SUBJECTS[other_model][1]: "As published."})
    draft_version = history(published)[0]
    assert draft_version.field_dict["status"] == Status.DRAFT
    own = make_draft(own_model, pk=SHARED_ID)
    own_form = form_data(contributor.get(admin_url(own_model, "change", own.pk)).content, form_id=form_id(own_model))
    before = state(published)

    for url in (admin_url(own_model, "revision", own.pk, draft_version.pk),
                admin_url(own_model, "recover", draft_version.pk)):
        assert contributor.get(url).status_code == 404
        assert contributor.post(url, own_form).status_code == 404
    # Nor an Editor: a version opens only under its own model's admin.
    assert editor.get(admin_url(own_model, "revision", own.pk, draft_version.pk)).status_code == 404

    assert state(published) == before
    assert getattr(other_model.objects.get(pk=published.pk), SUBJECTS[other_model][1]) == "As published."


def test_a_draft_album_sharing_a_published_reviews_id_cannot_bring_back_its_old_text(contributor, editor):
    """The issue's example: /admin/catalog/album/<id>/history/<version of that review>/, posted back."""
    review = make_draft(Review, pk=SHARED_ID)
    publish(editor, review, quote="The text as printed.")
    first = history(review)[0]
    album = make_draft(Album, pk=SHARED_ID)
    url = admin_url(Album, "revision", album.pk, first.pk)
    data = form_data(contributor.get(admin_url(Album, "change", album.pk)).content, form_id="album_form")

    assert contributor.get(url).status_code == 404
    assert contributor.post(url, data).status_code == 404

    review.refresh_from_db()
    assert (review.status, review.quote) == (Status.PUBLISHED, "The text as printed.")


# Finding 1: the admin's own item, published now or in the version ---------------------------------------


@pytest.mark.parametrize("model", SUBJECTS, ids=lambda m: m._meta.model_name)
def test_a_contributor_cannot_revert_a_published_item_to_its_draft_version(contributor, editor, model):
    item = make_draft(model)
    publish(editor, item, **{SUBJECTS[model][1]: "As published."})
    draft_version = history(item)[0]
    url = admin_url(model, "revision", item.pk, draft_version.pk)
    before = state(item)

    assert_refused_page(contributor.get(url))
    assert_refused_save(save_version(contributor, url, model, shown_to=editor), str(item))
    assert state(item) == before

    assert_saved(save_version(editor, url, model))  # The Editor may: it unpublishes the item.
    item.refresh_from_db()
    assert (item.status, getattr(item, SUBJECTS[model][1])) == (Status.DRAFT, "As first written.")


@pytest.mark.parametrize("model", SUBJECTS, ids=lambda m: m._meta.model_name)
def test_a_contributor_cannot_revert_a_draft_to_a_version_when_it_was_published(contributor, editor, model):
    """Live in the version counts too: saving it would publish the item."""
    item = make_draft(model)
    publish(editor, item)
    change(editor, item, status=Status.DRAFT, **{SUBJECTS[model][1]: "Back to work."})
    published_version = history(item)[1]
    assert published_version.field_dict["status"] == Status.PUBLISHED
    url = admin_url(model, "revision", item.pk, published_version.pk)
    before = state(item)

    assert_refused_page(contributor.get(url))
    assert_refused_save(save_version(contributor, url, model, shown_to=editor), str(item))

    assert state(item) == before
    assert type(item).objects.get(pk=item.pk).status == Status.DRAFT


@pytest.mark.parametrize("model", SUBJECTS, ids=lambda m: m._meta.model_name)
def test_a_contributor_cannot_recover_a_deleted_published_item(contributor, editor, model):
    item = make_draft(model)
    publish(editor, item)
    name = str(model.objects.get(pk=item.pk))
    assert editor.post(admin_url(model, "delete", item.pk), {"post": "yes"}).status_code == 302
    deleted = Version.objects.get_deleted(model).get(object_id=str(item.pk))
    url = admin_url(model, "recover", deleted.pk)

    assert_refused_page(contributor.get(url))
    assert_refused_save(save_version(contributor, url, model, shown_to=editor), name)
    assert not model.objects.filter(pk=item.pk).exists()

    assert_saved(save_version(editor, url, model))
    assert model.objects.get(pk=item.pk).status == Status.PUBLISHED


@pytest.mark.parametrize("model", SUBJECTS, ids=lambda m: m._meta.model_name)
def test_a_contributor_still_reverts_and_recovers_drafts(contributor, model):
    item = make_draft(model)
    field = SUBJECTS[model][1]
    change(contributor, item, **{field: "Second thoughts."})
    assert_saved(save_version(contributor, admin_url(model, "revision", item.pk, history(item)[0].pk), model))
    assert getattr(model.objects.get(pk=item.pk), field) == "As first written."

    assert contributor.post(admin_url(model, "delete", item.pk), {"post": "yes"}).status_code == 302
    url = admin_url(model, "recover", Version.objects.get_deleted(model).get(object_id=str(item.pk)).pk)
    assert_saved(save_version(contributor, url, model))
    assert model.objects.get(pk=item.pk).status == Status.DRAFT


# Finding 2: what a draft album's revision carries -------------------------------------------------------


@pytest.fixture
def draft_album_with_a_review(contributor):
    """A contributor's draft album, to which they added a (draft) review on its page: two versions."""
    album = make_draft(Album)
    publication = factories.PublicationFactory(name="The Wire")
    url = admin_url(Album, "change", album.pk)
    data = form_data(contributor.get(url).content, form_id="album_form")
    add_row(data, "reviews", publication=str(publication.pk), date="2003", scale="none", quote="Draft words.")
    assert_saved(contributor.post(url, data))
    return album


def test_reverting_a_draft_album_may_not_unpublish_its_review(contributor, editor, draft_album_with_a_review):
    album = draft_album_with_a_review
    review = album.reviews.get()
    before_review, with_review = history(album)
    assert with_review.revision.version_set.filter(object_id=str(review.pk)).exists()  # Held as a draft.
    publish(editor, review, quote="Printed words.")
    before = album_state(album)
    url = admin_url(Album, "revision", album.pk, with_review.pk)

    assert_refused_page(contributor.get(url))
    assert_refused_save(save_version(contributor, url, Album, shown_to=editor), str(review))
    assert album_state(album) == before

    assert_saved(save_version(editor, url, Album))  # The Editor may, and the review is as the album held it.
    review.refresh_from_db()
    assert (review.status, review.quote) == (Status.DRAFT, "Draft words.")


def test_reverting_a_draft_album_may_not_delete_a_review_published_since(
    contributor, editor, draft_album_with_a_review
):
    album = draft_album_with_a_review
    review = album.reviews.get()
    publish(editor, review)
    before = album_state(album)
    url = admin_url(Album, "revision", album.pk, history(album)[0].pk)  # Before the review was added.

    assert_refused_page(contributor.get(url))
    assert_refused_save(save_version(contributor, url, Album, shown_to=editor), str(review))
    assert album_state(album) == before

    assert_saved(save_version(editor, url, Album))
    assert not Review.objects.filter(pk=review.pk).exists()


def test_reverting_a_draft_album_may_not_change_or_delete_its_places_in_a_published_list(contributor, editor):
    album = make_draft(Album)
    best_of = factories.BestOfListFactory(title="The 50 Best")
    url = admin_url(Album, "change", album.pk)
    change(contributor, album, description="Before any list.")
    data = form_data(editor.get(url).content, form_id="album_form")
    add_row(data, "list_entries", best_of_list=str(best_of.pk), rank="7", blurb="As the list first had it.")
    assert_saved(editor.post(url, data))
    entry = ListEntry.objects.get(album=album)
    data = form_data(editor.get(url).content, form_id="album_form")
    data[f"list_entries-{row_index(data, 'list_entries', entry.pk)}-blurb"] = "As the list has it now."
    assert_saved(editor.post(url, data))
    *_, before_the_list, first_blurb, _now = history(album)
    before = album_state(album)

    for version in (first_blurb, before_the_list):  # Changes the entry; deletes it.
        revision_url = admin_url(Album, "revision", album.pk, version.pk)
        assert_refused_page(contributor.get(revision_url))
        assert_refused_save(save_version(contributor, revision_url, Album, shown_to=editor), str(best_of))
    assert album_state(album) == before
    assert ListEntry.objects.get(pk=entry.pk).blurb == "As the list has it now."

    assert_saved(save_version(editor, admin_url(Album, "revision", album.pk, first_blurb.pk), Album))
    assert ListEntry.objects.get(pk=entry.pk).blurb == "As the list first had it."


def test_recovering_a_deleted_draft_album_may_not_bring_back_its_published_review(
    contributor, editor, draft_album_with_a_review
):
    album = draft_album_with_a_review
    review = album.reviews.get()
    publish(editor, review)
    name = str(Review.objects.get(pk=review.pk))
    before = album_state(album)
    assert editor.post(admin_url(Album, "delete", album.pk), {"post": "yes"}).status_code == 302
    url = admin_url(Album, "recover", Version.objects.get_deleted(Album).get(object_id=str(album.pk)).pk)

    assert_refused_page(contributor.get(url))
    assert_refused_save(save_version(contributor, url, Album, shown_to=editor), name)
    assert not Album.objects.filter(pk=album.pk).exists() and not Review.objects.filter(pk=review.pk).exists()

    assert_saved(save_version(editor, url, Album))
    assert album_state(album) == before


def test_a_contributor_reverts_a_draft_album_with_its_draft_review_and_draft_list(contributor):
    album = make_draft(Album)
    draft_list = factories.BestOfListFactory(draft=True)
    factories.ListEntryFactory(best_of_list=draft_list, album=album, blurb="Draft place.")
    change(contributor, album, description="A first account.")
    start = album_state(album)
    url = admin_url(Album, "change", album.pk)
    data = form_data(contributor.get(url).content, form_id="album_form")
    add_row(data, "reviews", publication=str(factories.PublicationFactory().pk), date="2003", scale="none")
    data["list_entries-0-blurb"] = "Moved on."
    assert_saved(contributor.post(url, data))

    assert_saved(save_version(contributor, admin_url(Album, "revision", album.pk, history(album)[1].pk), Album))

    assert album_state(album) == start


def test_a_version_its_model_can_no_longer_read_is_an_error_message_not_a_crash(contributor):
    album = make_draft(Album)
    change(contributor, album, description="Second thoughts.")
    first = history(album)[0]
    Version.objects.filter(pk=first.pk).update(serialized_data="not what was saved")
    url = admin_url(Album, "revision", album.pk, first.pk)

    for response in (contributor.get(url), contributor.post(url, {})):
        assert response.status_code == 302
        assert response["Location"] == admin_url(Album, "history", album.pk)
    assert "Could not load" in text_of(contributor.get(admin_url(Album, "history", album.pk)))
    assert Album.objects.get(pk=album.pk).description == "Second thoughts."
