"""Previews: staff who may view a model open the public page of a draft or scheduled album, best-of list or
article (and an album's unpublished reviews) as visitors will see it, under a banner; nobody else does."""

import datetime

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from catalog.models import Album
from reviews.models import Article, BestOfList, Review
from tests import factories
from tests.pages import parse
from tests.reviews.album_page import our_score

pytestmark = pytest.mark.django_db

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36"


def future():
    return (timezone.now() + datetime.timedelta(days=3)).replace(second=0, microsecond=0)


MAKERS = {
    Album: lambda **kwargs: factories.AlbumFactory(title="Preview Album", **kwargs),
    BestOfList: lambda **kwargs: factories.BestOfListFactory(title="Preview List", **kwargs),
    Article: lambda **kwargs: factories.ArticleFactory(title="Preview Article", **kwargs),
}
IDS = {"ids": lambda model: model._meta.model_name}


def make(model, state):
    if state == "draft":
        return MAKERS[model](draft=True)
    return MAKERS[model](**{model.publish_field: future()})


def banner(response):
    region = parse(response.content).find(class_="preview-banner")
    return " ".join(region.text.split()) if region else None


def assert_private(response):
    assert response["Cache-Control"] == "private, no-store"
    assert response["X-Robots-Tag"] == "noindex"
    head = parse(response.content).find("head")
    assert head.find("meta", name="robots").attrs["content"] == "noindex"
    assert head.find("title").text.startswith("Preview: ")


@pytest.fixture
def staff_client(db, django_user_model, client):
    """Staff who may only view albums, reviews, lists and articles: enough to preview them."""
    user = django_user_model.objects.create_user("viewer", is_staff=True)
    user.user_permissions.add(*Permission.objects.filter(
        codename__in=["view_album", "view_review", "view_bestoflist", "view_article"]))
    client.force_login(user)
    return client


@pytest.mark.parametrize("model", MAKERS, **IDS)
def test_staff_preview_a_draft_under_a_banner(staff_client, visitor, model):
    obj = make(model, "draft")

    assert visitor.get(obj.get_absolute_url()).status_code == 404
    response = staff_client.get(obj.get_absolute_url())

    assert response.status_code == 200
    assert parse(response.content).find("h1").text.strip() == obj.title
    noun = model._meta.verbose_name
    assert banner(response) == f"Preview — not published. This {noun} is a draft: only editors can see it."
    region = parse(response.content).find(class_="preview-banner")
    assert region.attrs["role"] == "region"
    assert parse(response.content).find(id=region.attrs["aria-labelledby"]).text == "Preview — not published"
    assert_private(response)


@pytest.mark.parametrize("model", MAKERS, **IDS)
def test_staff_preview_a_scheduled_item_with_its_time(staff_client, visitor, model):
    obj = make(model, "scheduled")

    assert visitor.get(obj.get_absolute_url()).status_code == 404
    response = staff_client.get(obj.get_absolute_url())

    assert response.status_code == 200
    when = getattr(obj, obj.publish_field)
    noun = model._meta.verbose_name
    assert f"This {noun} is scheduled for {when:%-d %B %Y, %H:%M} UTC: until then only editors can see it." \
        in banner(response)
    assert parse(response.content).find(class_="preview-banner").find("time").attrs["datetime"] == when.isoformat()
    assert_private(response)


@pytest.mark.parametrize("model", MAKERS, **IDS)
def test_a_published_page_is_no_preview(staff_client, model):
    obj = MAKERS[model]()
    response = staff_client.get(obj.get_absolute_url())
    assert response.status_code == 200
    assert banner(response) is None
    assert "no-store" not in response.get("Cache-Control", "")
    assert "X-Robots-Tag" not in response


@pytest.mark.parametrize("model", MAKERS, **IDS)
def test_nobody_else_sees_a_preview(client, django_user_model, model):
    obj = make(model, "draft")
    url = obj.get_absolute_url()
    assert client.get(url).status_code == 404  # anonymous

    member = django_user_model.objects.create_user("member")  # signed in, not staff, though allowed to view
    opts = model._meta
    member.user_permissions.add(Permission.objects.get(codename=f"view_{opts.model_name}",
                                                       content_type__app_label=opts.app_label))
    client.force_login(member)
    assert client.get(url).status_code == 404

    staff = django_user_model.objects.create_user("staff", is_staff=True)  # staff, without the permission
    client.force_login(staff)
    assert client.get(url).status_code == 404


def test_the_preview_shows_the_page_as_visitors_will_see_it(staff_client, reception):
    """A draft list shows its entries whose album is live, as it will once published."""
    best_of = factories.BestOfListFactory(draft=True, title="Draft Favourites")
    factories.ListEntryFactory(best_of_list=best_of, album=reception, blurb="Still the best.")
    factories.ListEntryFactory(best_of_list=best_of, album=factories.AlbumFactory(title="Unfinished", draft=True))

    root = parse(staff_client.get(best_of.get_absolute_url()).content)

    assert "Still the best." in root.text
    assert "Unfinished" not in root.text


def test_a_previewed_article_counts_no_view(staff_client):
    article = factories.ArticleFactory(draft=True, view_count=7)
    response = staff_client.get(article.get_absolute_url(), headers={"user-agent": BROWSER})
    assert response.status_code == 200
    article.refresh_from_db()
    assert article.view_count == 7


# An album's unpublished reviews ------------------------------------------------------------------------


@pytest.fixture
def waiting_reviews(reception):
    draft = factories.ReviewFactory(album=reception, draft=True, quote="Not ready yet",
                                    publication=factories.PublicationFactory(name="Draft Weekly"))
    scheduled = factories.ReviewFactory(album=reception, publish_at=future(), quote="Out on Thursday",
                                        publication=factories.PublicationFactory(name="Thursday Daily"))
    return draft, scheduled


def review_items(response):
    return {item.attrs["id"]: " ".join(item.text.split())
            for item in parse(response.content).find(id="reception").find_all("li", class_="review")}


def test_staff_preview_an_albums_unpublished_reviews_marked_as_such(staff_client, visitor, waiting_reviews):
    draft, scheduled = waiting_reviews
    album = draft.album
    url = f"{album.get_absolute_url()}?preview"

    public = visitor.get(url)  # ?preview is nothing to a visitor
    assert len(review_items(public)) == 5 and banner(public) is None
    assert "no-store" not in public.get("Cache-Control", "")
    assert len(review_items(staff_client.get(album.get_absolute_url()))) == 5  # staff without ?preview

    response = staff_client.get(url)
    items = review_items(response)
    assert len(items) == 7
    assert "Draft — not published, not in our score." in items[f"review-{draft.pk}"]
    assert f"Scheduled for {scheduled.publish_at:%-d %B %Y, %H:%M} UTC — not published" \
        in items[f"review-{scheduled.pk}"]
    assert banner(response).startswith("Preview — not published: the parts marked so below.")
    assert_private(response)
    # The score stays the visitors' one: neither review counts yet.
    assert our_score(staff_client, album).number == our_score(visitor, album).number == "67"
    # Nor does the album's structured data name them.
    assert "Thursday Daily" not in parse(response.content).find("script", type="application/ld+json").text


def test_the_review_preview_needs_the_permission_to_view_reviews(client, django_user_model, waiting_reviews):
    album = waiting_reviews[0].album
    user = django_user_model.objects.create_user("albums-only", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_album"))
    client.force_login(user)
    assert len(review_items(client.get(f"{album.get_absolute_url()}?preview"))) == 5


# From the admin -----------------------------------------------------------------------------------------


def admin_change(client, obj):
    opts = obj._meta
    return parse(client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])).content)


@pytest.mark.parametrize("model", MAKERS, **IDS)
def test_view_on_site_opens_the_preview(editor_client, model):
    obj = make(model, "draft")
    link = admin_change(editor_client, obj).find("a", class_="viewsitelink")
    assert link.attrs["href"] == obj.get_absolute_url()
    assert banner(editor_client.get(link.attrs["href"])) is not None


def test_view_on_site_of_a_waiting_review_opens_its_albums_preview(editor_client, waiting_reviews):
    for review in waiting_reviews:
        link = admin_change(editor_client, review).find("a", class_="viewsitelink")
        assert link.attrs["href"] == f"{review.album.get_absolute_url()}?preview#review-{review.pk}"
        assert f"review-{review.pk}" in review_items(editor_client.get(link.attrs["href"]))
    live = Review.objects.published().filter(album=waiting_reviews[0].album).first()
    link = admin_change(editor_client, live).find("a", class_="viewsitelink")
    assert link.attrs["href"] == live.get_absolute_url()
