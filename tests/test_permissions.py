"""The permission matrix: each role × each admin action, through real HTTP, against the documented table.

Expectations come from soundtrack_site/roles.py, whose table README.md shows (tests/test_roles.py
keeps the two equal): a role's access level in an area decides what every request below must do.
"""

import datetime
from dataclasses import dataclass

import pytest
from django.contrib.auth.models import Group, Permission, User
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from reversion.models import Version

from catalog.models import Album, Status, Track
from reviews.models import Article, BestOfList, Review
from soundtrack_site.roles import AREAS_BY_KEY, CONTRIBUTOR, EDITOR, GROUPS, SITE_ADMIN, Access
from tests import factories
from tests.factories import log_in_verified
from tests.pages import form_data, parse

pytestmark = pytest.mark.django_db

ANONYMOUS = "anonymous"
ACTORS = [ANONYMOUS, CONTRIBUTOR, EDITOR, SITE_ADMIN]
LOGIN = reverse("admin:login")


def admin_url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def future():
    return timezone.now() + datetime.timedelta(days=1)


@dataclass(frozen=True)
class Subject:
    """One row of the matrix: an admin, how to make its items in each state, what a change edits."""

    model: type
    make: dict  # state ("draft", "published", "scheduled") -> () -> a saved item
    field: str  # a text field the change posts
    unique: tuple = ()  # fields a copy posted to the add form must change

    def copy_for_add(self, data):
        data = dict(data, **dict.fromkeys(self.unique, "added-copy"))
        if self.model is Review:
            data["album"] = str(factories.AlbumFactory(draft=True).pk)
        return data


SUBJECTS = {
    "albums": Subject(Album, {
        "draft": lambda: factories.AlbumFactory(draft=True),
        "published": lambda: factories.AlbumFactory(),
        "scheduled": lambda: factories.AlbumFactory(publish_at=future()),
    }, "title", ("title", "slug")),
    "reviews": Subject(Review, {
        "draft": lambda: factories.ReviewFactory(draft=True),
        "published": lambda: factories.ReviewFactory(),
        "scheduled": lambda: factories.ReviewFactory(publish_at=future()),
    }, "quote"),
    "lists": Subject(BestOfList, {
        "draft": lambda: factories.BestOfListFactory(draft=True),
        "published": lambda: factories.BestOfListFactory(),
        "scheduled": lambda: factories.BestOfListFactory(publish_at=future()),
    }, "title", ("title", "slug")),
    "articles": Subject(Article, {
        "draft": lambda: factories.ArticleFactory(draft=True),
        "published": lambda: factories.ArticleFactory(),
        "scheduled": lambda: factories.ArticleFactory(published_at=future()),
    }, "title", ("title", "slug")),
    "users": Subject(User, {
        "draft": lambda: User.objects.create_user("someone", is_staff=True),
    }, "first_name"),
}
STATES = {"draft": Access.DRAFTS, "published": Access.ALL, "scheduled": Access.ALL}  # Level needed to edit.


def level(actor, area):
    return Access.NONE if actor == ANONYMOUS else AREAS_BY_KEY[area].access_for(actor)


@pytest.fixture
def superuser_client(django_user_model):
    return log_in_verified(Client(), django_user_model.objects.create_superuser("root", password=None))


@pytest.fixture
def client_for(django_user_model):
    def make(actor):
        client = Client()
        if actor != ANONYMOUS:
            user = django_user_model.objects.create_user(
                actor.lower().replace(" ", "-"), is_staff=True, is_superuser=actor == SITE_ADMIN
            )
            if actor in GROUPS:
                user.groups.add(Group.objects.get(name=actor))
            log_in_verified(client, user)
        return client

    return make


def assert_answer(response, actor, allowed, ok=(200,)):
    """Anonymous visitors are sent to log in; others get the page (or its redirect) or 403."""
    if actor == ANONYMOUS:
        assert response.status_code == 302 and response["Location"].startswith(LOGIN)
    elif allowed:
        assert response.status_code in ok, response.status_code
    else:
        assert response.status_code == 403


def admin_form(client, model, obj):
    """The change form as the client sees it: the superuser's is what a forged POST would send."""
    return form_data(client.get(admin_url(model, "change", obj.pk)).content, form_id=f"{model._meta.model_name}_form")


def action_choices(client, model):
    select = parse(client.get(admin_url(model, "changelist")).content).find("select", name="action")
    return {option.attrs["value"]: option.text for option in select.find_all("option")} if select else {}


MATRIX = [(actor, area) for actor in ACTORS for area in SUBJECTS]


@pytest.mark.parametrize(("actor", "area"), MATRIX)
def test_changelist(client_for, actor, area):
    subject = SUBJECTS[area]
    subject.make["draft"]()
    response = client_for(actor).get(admin_url(subject.model, "changelist"))
    assert_answer(response, actor, level(actor, area) >= Access.VIEW)


@pytest.mark.parametrize(("actor", "area"), MATRIX)
def test_history(client_for, actor, area):
    subject = SUBJECTS[area]
    obj = subject.make["draft"]()
    response = client_for(actor).get(admin_url(subject.model, "history", obj.pk))
    assert_answer(response, actor, level(actor, area) >= Access.VIEW)


@pytest.mark.parametrize(("actor", "area"), MATRIX)
def test_add(client_for, superuser_client, actor, area):
    subject = SUBJECTS[area]
    client = client_for(actor)
    allowed = level(actor, area) >= Access.DRAFTS
    assert_answer(client.get(admin_url(subject.model, "add")), actor, allowed)

    if subject.model is User:
        data = {"username": "newcomer", "password1": "a long new passphrase", "password2": "a long new passphrase"}
        assert_answer(client.post(admin_url(User, "add"), data), actor, allowed, ok=(302,))
        assert User.objects.filter(username="newcomer").exists() == allowed
        return
    # A copy of a draft, posted as published: only those who may publish get a published item.
    data = subject.copy_for_add(admin_form(superuser_client, subject.model, subject.make["draft"]()))
    data["status"] = Status.PUBLISHED
    before = set(subject.model.objects.values_list("pk", flat=True))
    assert_answer(client.post(admin_url(subject.model, "add"), data), actor, allowed, ok=(302,))
    added = subject.model.objects.exclude(pk__in=before)
    assert added.count() == (1 if allowed else 0)
    if allowed:
        expected = Status.PUBLISHED if level(actor, area) >= Access.ALL else Status.DRAFT
        assert added.get().status == expected


@pytest.mark.parametrize(("actor", "area"), MATRIX)
def test_change(client_for, superuser_client, actor, area):
    subject = SUBJECTS[area]
    client = client_for(actor)
    for state, needed in STATES.items():
        if state not in subject.make:
            continue
        obj = subject.make[state]()
        data = admin_form(superuser_client, subject.model, obj)
        data[subject.field] = f"Changed while {state}"
        allowed = level(actor, area) >= needed
        response = client.post(admin_url(subject.model, "change", obj.pk), data)
        assert_answer(response, actor, allowed, ok=(302,))
        obj.refresh_from_db()
        assert (getattr(obj, subject.field) == f"Changed while {state}") == allowed, state
        if subject.model is not User:
            assert obj.status == (Status.DRAFT if state == "draft" else Status.PUBLISHED)

        # Who may view but not change it gets the page without a form to save.
        page = client.get(admin_url(subject.model, "change", obj.pk))
        assert_answer(page, actor, level(actor, area) >= Access.VIEW)
        if page.status_code == 200:
            assert (parse(page.content).find("input", name="_save") is not None) == allowed, state


@pytest.mark.parametrize(("actor", "area"), MATRIX)
def test_delete(client_for, actor, area):
    subject = SUBJECTS[area]
    client = client_for(actor)
    for state, needed in STATES.items():
        if state not in subject.make:
            continue
        obj = subject.make[state]()
        allowed = level(actor, area) >= needed
        response = client.post(admin_url(subject.model, "delete", obj.pk), {"post": "yes"})
        assert_answer(response, actor, allowed, ok=(302,))
        assert subject.model.objects.filter(pk=obj.pk).exists() != allowed, state


@pytest.mark.parametrize(("actor", "area"), [(actor, area) for actor, area in MATRIX if area != "users"])
def test_publish(client_for, superuser_client, actor, area):
    """Publishing by the admin action, and by posting status=published in the change form."""
    subject = SUBJECTS[area]
    client = client_for(actor)
    allowed = level(actor, area) >= Access.ALL
    obj = subject.make["draft"]()  # The changelist offers actions once it has rows.
    publish = next(name for name, label in action_choices(superuser_client, subject.model).items()
                   if label.startswith("Publish"))
    if level(actor, area) >= Access.VIEW:
        assert (publish in action_choices(client, subject.model)) == allowed

    if subject.model is Article:
        obj.published_at = timezone.now() - datetime.timedelta(hours=1)  # An article needs its date to go live.
        obj.save()
    response = client.post(admin_url(subject.model, "changelist"), {"action": publish, "_selected_action": [obj.pk]})
    assert_answer(response, actor, level(actor, area) >= Access.VIEW, ok=(302,))
    obj.refresh_from_db()
    assert (obj.status == Status.PUBLISHED) == allowed

    obj = subject.make["draft"]()
    data = admin_form(superuser_client, subject.model, obj)
    data["status"] = Status.PUBLISHED
    data[f"{obj.publish_field}_0"], data[f"{obj.publish_field}_1"] = "2020-01-01", "12:00:00"
    response = client.post(admin_url(subject.model, "change", obj.pk), data)
    assert_answer(response, actor, level(actor, area) >= Access.DRAFTS, ok=(302,))
    obj.refresh_from_db()
    assert (obj.status == Status.PUBLISHED) == allowed
    assert (getattr(obj, obj.publish_field) is not None) == allowed


# A contributor's forged POSTs ---------------------------------------------------------------------------


@pytest.fixture
def contributor(client_for):
    return client_for(CONTRIBUTOR)


def test_what_a_contributor_adds_is_a_draft_without_a_publish_time(contributor, superuser_client):
    data = admin_form(superuser_client, Album, factories.AlbumFactory(draft=True))
    data.update(title="Forged", slug="forged", status="published", publish_at_0="2020-01-01", publish_at_1="12:00")
    assert contributor.post(admin_url(Album, "add"), data).status_code == 302
    album = Album.objects.get(slug="forged")
    assert (album.status, album.publish_at) == (Status.DRAFT, None)
    # Reviews and lists are published by default in the model: the add page shows, and saves, a draft.
    page = parse(contributor.get(admin_url(Review, "add")).content)
    assert page.find("select", name="status") is None
    assert "Draft" in page.find("div", class_="field-status").text


def test_a_contributor_cannot_publish_a_review_from_the_album_page(contributor, superuser_client):
    album = factories.AlbumFactory(draft=True)
    publication = factories.PublicationFactory()
    url = admin_url(Album, "change", album.pk)
    data = admin_form(superuser_client, Album, album)
    data.update({"reviews-TOTAL_FORMS": "1", "reviews-0-publication": str(publication.pk), "reviews-0-date": "2003",
                 "reviews-0-scale": "none", "reviews-0-status": "published"})
    assert contributor.post(url, data).status_code == 302
    assert album.reviews.get().status == Status.DRAFT


def test_a_contributor_cannot_change_a_published_review_from_a_draft_albums_page(contributor, superuser_client):
    review = factories.ReviewFactory(album=factories.AlbumFactory(draft=True), quote="As printed")
    url = admin_url(Album, "change", review.album.pk)
    data = admin_form(superuser_client, Album, review.album)
    data["reviews-0-quote"] = "Rewritten"
    response = contributor.post(url, data)
    assert response.status_code == 200
    assert "is published or scheduled: only an editor who may publish it can change it" in parse(response.content).text
    review.refresh_from_db()
    assert review.quote == "As printed"

    data["reviews-0-quote"], data["reviews-0-DELETE"] = "As printed", "on"
    assert contributor.post(url, data).status_code == 200
    assert Review.objects.filter(pk=review.pk).exists()


def test_a_contributor_cannot_add_a_draft_album_to_a_published_list(contributor, superuser_client):
    album, published_list = factories.AlbumFactory(draft=True), factories.BestOfListFactory()
    url = admin_url(Album, "change", album.pk)
    data = admin_form(superuser_client, Album, album)
    data.update({"list_entries-TOTAL_FORMS": "1", "list_entries-0-best_of_list": str(published_list.pk),
                 "list_entries-0-rank": "1"})
    assert contributor.post(url, data).status_code == 200
    assert not published_list.entries.exists()


def test_the_tracks_of_a_published_album_are_out_of_a_contributors_reach(contributor, superuser_client):
    track = factories.TrackFactory(album=factories.AlbumFactory(), title="Alone in Kyoto")
    data = admin_form(superuser_client, Track, track)
    data["title"] = "Renamed"
    assert contributor.post(admin_url(Track, "change", track.pk), data).status_code == 403
    assert contributor.post(admin_url(Track, "delete", track.pk), {"post": "yes"}).status_code == 403
    track.refresh_from_db()
    assert track.title == "Alone in Kyoto"

    # Nor can one be added to it, or a draft's track moved to it.
    data.update(position="99", title="Smuggled in")
    response = contributor.post(admin_url(Track, "add"), data)
    assert response.status_code == 200
    assert "Only an editor who may publish it can add to a published or scheduled album" in parse(response.content).text
    assert not track.album.tracks.filter(title="Smuggled in").exists()


def test_the_album_page_of_a_published_album_is_view_only_with_its_inlines(contributor, superuser_client):
    track = factories.TrackFactory(album=factories.AlbumFactory())
    url = admin_url(Album, "change", track.album.pk)
    page = parse(contributor.get(url).content)
    assert page.find("input", name="_save") is None
    assert page.find("input", name="tracks-0-title") is None
    data = admin_form(superuser_client, Album, track.album)
    data["tracks-0-title"] = "Changed"
    assert contributor.post(url, data).status_code == 403
    track.refresh_from_db()
    assert track.title != "Changed"


def test_deleting_a_draft_album_may_not_take_published_reviews_with_it(contributor):
    review = factories.ReviewFactory(album=factories.AlbumFactory(draft=True))
    response = contributor.post(admin_url(Album, "delete", review.album.pk), {"post": "yes"})
    assert response.status_code == 403
    assert Album.objects.filter(pk=review.album.pk).exists()
    contributor.post(admin_url(Album, "changelist"),
                     {"action": "delete_selected", "_selected_action": [review.album.pk], "post": "yes"})
    assert Album.objects.filter(pk=review.album.pk).exists()


def test_a_contributor_cannot_unpublish_by_reverting_to_a_draft_version(contributor, superuser_client):
    album = factories.AlbumFactory(draft=True, title="Before")
    url = admin_url(Album, "change", album.pk)
    for changes in ({"title": "Draft"}, {"title": "Live", "status": "published"}):  # Each save is a version.
        data = dict(admin_form(superuser_client, Album, album), **changes)
        assert superuser_client.post(url, data).status_code == 302
    draft = next(v for v in Version.objects.get_for_object(album) if v.field_dict["status"] == Status.DRAFT)

    revision_url = admin_url(Album, "revision", album.pk, draft.pk)
    page = contributor.get(revision_url)  # Shown as it was: a draft, which a contributor could edit...
    assert page.status_code == 200
    response = contributor.post(revision_url, form_data(page.content, form_id="album_form"))
    assert response.status_code == 403  # ...but saving it would unpublish the album as it is now.
    album.refresh_from_db()
    assert (album.status, album.title) == (Status.PUBLISHED, "Live")


def test_a_contributor_cannot_recover_a_deleted_published_album(contributor, client_for, superuser_client):
    album = factories.AlbumFactory(title="Gone")
    assert superuser_client.post(admin_url(Album, "delete", album.pk), {"post": "yes"}).status_code == 302
    version = Version.objects.get_deleted(Album).get(object_id=str(album.pk))

    recover_url = admin_url(Album, "recover", version.pk)
    page = contributor.get(recover_url)
    assert page.status_code == 200 and page.context["adminform"].form.fields == {}  # View-only: nothing to save.
    assert contributor.post(recover_url, {}).status_code == 403
    assert not Album.objects.filter(pk=album.pk).exists()
    # An editor may: recovering is publishing it again.
    editor = client_for(EDITOR)
    page = editor.get(recover_url)
    assert editor.post(recover_url, form_data(page.content, form_id="album_form")).status_code == 302
    assert Album.objects.get(pk=album.pk).status == Status.PUBLISHED


# No escalation ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", GROUPS)
def test_no_role_can_touch_users_or_groups_even_with_auth_permissions_by_hand(client_for, superuser_client, role):
    client = client_for(role)
    user = User.objects.get(username=role.lower())
    # Someone granted them everything on auth by hand: the admin still asks for a superuser.
    user.user_permissions.set(Permission.objects.filter(content_type__app_label="auth"))
    group = Group.objects.get(name=role)

    data = admin_form(superuser_client, User, user)
    data.update(is_superuser="on", groups=[str(g.pk) for g in Group.objects.all()])
    assert client.post(admin_url(User, "change", user.pk), data).status_code == 403
    assert client.post(admin_url(User, "add"), {"username": "sidekick", "password1": "a long new passphrase",
                                                "password2": "a long new passphrase"}).status_code == 403
    assert client.post(reverse("admin:auth_user_password_change", args=[user.pk]),
                       {"password1": "a long new passphrase", "password2": "a long new passphrase"}).status_code == 403
    every_permission = [str(pk) for pk in Permission.objects.values_list("pk", flat=True)]
    assert client.post(admin_url(Group, "change", group.pk),
                       {"name": role, "permissions": every_permission}).status_code == 403
    assert client.post(admin_url(Group, "add"), {"name": "Escape", "permissions": every_permission}).status_code == 403
    assert client.get(admin_url(User, "changelist")).status_code == 403
    assert client.get(reverse("admin:index")).status_code == 200
    assert "Authentication and Authorization" not in parse(client.get(reverse("admin:index")).content).text

    user.refresh_from_db()
    assert not user.is_superuser
    assert list(user.groups.all()) == [group]
    assert not User.objects.filter(username="sidekick").exists()
    assert not Group.objects.filter(name="Escape").exists()
    assert not group.permissions.filter(content_type__app_label="auth").exists()
