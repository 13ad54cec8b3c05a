"""Scheduling: an item with a future publish-at time is nowhere a visitor looks until the clock passes it,
then everywhere, with no cron job and no editor's action in between (time_machine moves the clock).

Also the admin's publication state: its list filter and column, and the "Publish now" and "Unpublish"
actions, which only users holding the model's publish permission are offered or may run.
"""

import datetime
import io

import pytest
import time_machine
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from catalog.models import Album, Status
from reviews.models import AlbumScore, Article, BestOfList, Review
from tests import factories
from tests.catalog.test_queries import count_queries
from tests.pages import form_data, parse
from tests.reviews.album_page import our_score
from tests.reviews.test_feeds import rss
from tests.test_search import kind_page, results
from tests.test_seo import absolute, only_json_ld, sitemap

pytestmark = pytest.mark.django_db

QUOTE = "A record that sounds the way jet lag feels"


def tomorrow():
    return timezone.now() + datetime.timedelta(days=1)


def after(moment):
    """The clock a minute past `moment`, for a `with` block."""
    return time_machine.travel(moment + datetime.timedelta(minutes=1))


def page_text(client, url, **params):
    response = client.get(url, params)
    assert response.status_code == 200, url
    return parse(response.content).text


def feed_titles(client, url):
    return [item["title"] for item in rss(client, url)]


def album_urls(client):
    return [link.attrs["href"] for link in parse(client.get(reverse("catalog:album-list")).content)
            .find_all("a") if link.attrs.get("href", "").startswith("/albums/")]


# Done means 2: a review scheduled for tomorrow ----------------------------------------------------------


@pytest.fixture
def scheduled_review(reception):
    """A 10/10 review of the fixture's album, scheduled for tomorrow, by a critic and publication of its own."""
    publication = factories.PublicationFactory(name="The Embargo Review")
    critic = factories.CriticFactory(name="Nina Tomorrow", publications=[publication])
    return factories.ReviewFactory(album=reception, publication=publication, critic=critic, rating_value=10,
                                   quote=QUOTE, publish_at=tomorrow())


def review_pages(review):
    """Every public page that lists a review of this album, publication and critic."""
    return [
        reverse("catalog:home"),
        review.album.get_absolute_url(),
        reverse("reviews:review-list"),
        review.publication.get_absolute_url(),
        review.critic.get_absolute_url(),
    ]


def review_feeds(review):
    return [
        reverse("reviews:review-feed"),
        reverse("reviews:album-review-feed", args=[review.album.slug]),
        reverse("reviews:artist-review-feed", args=["kevin-shields"]),  # performs on the album
    ]


def json_ld_reviewers(client, album):
    data = only_json_ld(parse(client.get(album.get_absolute_url()).content), "MusicAlbum")
    return {review["author"]["name"] for review in data.get("review", [])}


def test_a_review_scheduled_for_tomorrow_is_nowhere_until_then_and_everywhere_after(visitor, scheduled_review):
    review = scheduled_review
    heading = f"{review.album.title}: {review.publication.name} by {review.critic.name}"
    critic_url, publication_url = (absolute(obj.get_absolute_url()) for obj in (review.critic, review.publication))
    album_url = absolute(review.album.get_absolute_url())

    for url in review_pages(review):
        assert QUOTE not in page_text(visitor, url), url
    for url in review_feeds(review):
        assert heading not in feed_titles(visitor, url), url
    assert "Nina Tomorrow" not in json_ld_reviewers(visitor, review.album)
    shown = our_score(visitor, review.album)
    assert (shown.number, shown.band) == ("67", "No verdict yet")  # 80, 63 and 58: three scored reviews
    urls = sitemap(visitor)
    assert urls[critic_url] is None and urls[publication_url] is None  # no review of theirs is live
    assert urls[album_url] == timezone.now().date().isoformat()
    # Search has no kind for reviews: their words are never found, and their critic is found as a critic.
    assert results(visitor, "jet lag") == {}

    # The management command recomputes from what is live now: the review still waits.
    call_command("refresh_scores", stdout=io.StringIO())
    assert our_score(visitor, review.album).number == "67"

    goes_live = review.publish_at
    with after(goes_live):
        for url in review_pages(review)[1:]:  # the home page shows albums, never reviews
            assert QUOTE in page_text(visitor, url), url
        for url in review_feeds(review):
            assert heading in feed_titles(visitor, url), url
        assert "Nina Tomorrow" in json_ld_reviewers(visitor, review.album)
        shown = our_score(visitor, review.album)
        # (80 + 63 + 58 + 100) / 4 = 75.25: four scored reviews now give a verdict.
        assert (shown.number, shown.band) == ("75", "Generally favorable")
        assert "From 4 scored reviews; 6 reviews in all." in shown.basis
        urls = sitemap(visitor)
        assert urls[critic_url] == urls[publication_url] == timezone.now().date().isoformat()
        assert urls[album_url] == timezone.now().date().isoformat()
        assert AlbumScore.objects.get(album=review.album).next_change_at is None


def test_the_album_list_sorts_by_the_aggregate_a_scheduled_review_joins(visitor):
    """The list reads the stored aggregates: those a scheduled review has joined are refreshed first,
    though nobody opens the album's own page."""
    steady, rising = factories.AlbumFactory(title="Steady"), factories.AlbumFactory(title="Rising")
    factories.ReviewFactory.create_batch(4, album=steady, rating_value=7)
    factories.ReviewFactory.create_batch(4, album=rising, rating_value=6)
    goes_live = tomorrow()
    factories.ReviewFactory.create_batch(4, album=rising, rating_value=10, publish_at=goes_live)

    def by_score():
        root = parse(visitor.get(reverse("catalog:album-list"), {"sort": "-score"}).content)
        return [(card.find(class_="card__title").text.strip(), card.find(class_="score__number").text.split()[0])
                for card in root.find_all(class_="card")]

    assert by_score() == [("Steady", "70"), ("Rising", "60")]
    with after(goes_live):
        assert by_score() == [("Rising", "80"), ("Steady", "70")]  # (4 × 60 + 4 × 100) / 8


def test_refreshing_a_due_aggregate_costs_queries_once(visitor, django_assert_max_num_queries):
    album = factories.AlbumFactory()
    factories.ReviewFactory.create_batch(4, album=album, rating_value=6)
    url = reverse("catalog:album-list")
    budget = count_queries(visitor, url)
    goes_live = tomorrow()
    factories.ReviewFactory(album=album, rating_value=10, publish_at=goes_live)
    with after(goes_live):
        visitor.get(url)  # the first visitor after the time refreshes the album's aggregate
        with django_assert_max_num_queries(budget):
            assert "68" in page_text(visitor, url)  # (4 × 60 + 100) / 5


# A scheduled album --------------------------------------------------------------------------------------


@pytest.fixture
def scheduled_album(db):
    """An album for tomorrow, with everything that leads to it: label, genre, film, a track and its
    performer, a (live) review, a song in the film and a place in a (live) best-of list."""
    film = factories.FilmFactory(title="Premiere Night")
    album = factories.AlbumFactory(
        title="Tomorrow Sounds", publish_at=tomorrow(), label=factories.LabelFactory(name="Embargo Records"),
        film=film, genres=[factories.GenreFactory(name="Future Pop")],
    )
    track = factories.TrackFactory(album=album, title="Midnight Opening")
    factories.TrackArtistFactory(track=track, artist=factories.ArtistFactory(name="Dawn Player"))
    factories.SongInFilmFactory(album=album, track=track, title="")
    factories.ReviewFactory(album=album, quote="Worth the wait", critic__name="Early Critic")
    factories.ListEntryFactory(album=album, best_of_list=factories.BestOfListFactory(title="Soon on the List"))
    return album


def album_pages(album):
    artist = album.tracks.get().artists.get()
    review = album.reviews.get()
    return {
        reverse("catalog:album-list"): album.title,
        reverse("catalog:track-list"): "Midnight Opening",
        artist.get_absolute_url(): "Midnight Opening",
        album.label.get_absolute_url(): album.title,
        album.genres.get().get_absolute_url(): album.title,
        album.film.get_absolute_url(): album.title,
        reverse("reviews:review-list"): "Worth the wait",
        review.critic.get_absolute_url(): "Worth the wait",
        review.publication.get_absolute_url(): "Worth the wait",
        album.list_entries.get().best_of_list.get_absolute_url(): album.title,
        reverse("catalog:home"): album.title,
    }


def album_feeds(album):
    artist = album.tracks.get().artists.get()
    return [reverse("reviews:review-feed"), reverse("reviews:artist-review-feed", args=[artist.slug])]


def test_a_scheduled_album_is_nowhere_until_its_time(visitor, scheduled_album):
    album = scheduled_album
    assert visitor.get(album.get_absolute_url()).status_code == 404
    assert visitor.get(reverse("reviews:album-review-feed", args=[album.slug])).status_code == 404
    for url, text in album_pages(album).items():
        assert text not in page_text(visitor, url), url
    for url in album_feeds(album):
        assert not any(title.startswith(album.title) for title in feed_titles(visitor, url)), url
    assert "Embargo Records 0 albums" in " ".join(page_text(visitor, reverse("catalog:label-list")).split())
    assert "Future Pop 0 albums" in " ".join(page_text(visitor, reverse("catalog:genre-list")).split())
    assert absolute(album.get_absolute_url()) not in sitemap(visitor)
    assert sitemap(visitor)[absolute(album.label.get_absolute_url())] is None
    assert "albums" not in results(visitor, "tomorrow sounds")
    assert kind_page(visitor, "midnight opening", "tracks") == []

    with after(album.publish_at):
        assert visitor.get(album.get_absolute_url()).status_code == 200
        assert visitor.get(reverse("reviews:album-review-feed", args=[album.slug])).status_code == 200
        for url, text in album_pages(album).items():
            assert text in page_text(visitor, url), url
        for url in album_feeds(album):
            assert any(title.startswith(album.title) for title in feed_titles(visitor, url)), url
        assert "Embargo Records 1 album" in " ".join(page_text(visitor, reverse("catalog:label-list")).split())
        assert absolute(album.get_absolute_url()) in sitemap(visitor)
        assert results(visitor, "tomorrow sounds")["albums"] == ["Tomorrow Sounds"]
        assert kind_page(visitor, "midnight opening", "tracks") == ["Midnight Opening"]


# Scheduled lists and articles ---------------------------------------------------------------------------


def test_a_scheduled_list_and_article_wait_for_their_time(visitor, reception):
    goes_live = tomorrow()
    best_of = factories.BestOfListFactory(title="Greatest Scores Yet", publish_at=goes_live,
                                          publication=factories.PublicationFactory(name="Future Monthly"))
    factories.ListEntryFactory(best_of_list=best_of, album=reception)
    article = factories.ArticleFactory(title="Notes from Tomorrow", published_at=goes_live)
    where = {
        reverse("reviews:list-list"): best_of.title,
        best_of.publication.get_absolute_url(): best_of.title,
        reception.get_absolute_url(): best_of.title,  # its Legacy section
        reverse("reviews:article-list"): article.title,
    }

    for obj in (best_of, article):
        assert visitor.get(obj.get_absolute_url()).status_code == 404
        assert absolute(obj.get_absolute_url()) not in sitemap(visitor)
    for url, text in where.items():
        assert text not in page_text(visitor, url), url
    assert article.title not in [item["title"] for item in rss(visitor, reverse("reviews:article-feed"))]
    assert best_of.title not in results(visitor, "greatest scores yet").get("lists", [])
    assert "articles" not in results(visitor, "notes from tomorrow")

    with after(goes_live):
        for obj in (best_of, article):
            assert visitor.get(obj.get_absolute_url()).status_code == 200
            assert absolute(obj.get_absolute_url()) in sitemap(visitor)
        for url, text in where.items():
            assert text in page_text(visitor, url), url
        assert article.title in [item["title"] for item in rss(visitor, reverse("reviews:article-feed"))]
        assert results(visitor, "greatest scores yet")["lists"][0] == best_of.title
        assert results(visitor, "notes from tomorrow")["articles"][0] == article.title


def test_querysets_built_before_the_time_see_it_pass():
    """Querysets kept in class attributes and filter choices are built once, when the code is loaded:
    the time they compare with is read when they run, not when they were built."""
    album = factories.AlbumFactory(publish_at=tomorrow())
    published = Album.objects.published()
    assert album not in published.all()
    with after(album.publish_at):
        assert album in published.all()
        assert album not in Album.objects.scheduled()


# Publishing from the admin's form -----------------------------------------------------------------------


def admin_url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def test_publishing_with_an_empty_time_means_now(editor_client):
    for obj in (factories.AlbumFactory(draft=True), factories.ArticleFactory(draft=True)):
        url = admin_url(type(obj), "change", obj.pk)
        data = form_data(editor_client.get(url).content, form_id=f"{obj._meta.model_name}_form")
        data["status"] = "published"
        field = obj.publish_field
        data[f"{field}_0"] = data[f"{field}_1"] = ""
        response = editor_client.post(url, data)
        assert response.status_code == 302, parse(response.content).find(class_="errornote")
        obj.refresh_from_db()
        assert obj.is_published
        assert timezone.now() - getattr(obj, field) < datetime.timedelta(minutes=1)


def test_a_future_time_in_the_form_schedules(editor_client, visitor):
    album = factories.AlbumFactory(draft=True)
    url = admin_url(Album, "change", album.pk)
    data = form_data(editor_client.get(url).content, form_id="album_form")
    goes_live = tomorrow().replace(second=0, microsecond=0)
    data.update(status="published", publish_at_0=goes_live.strftime("%Y-%m-%d"),
                publish_at_1=goes_live.strftime("%H:%M:%S"))
    assert editor_client.post(url, data).status_code == 302
    album.refresh_from_db()
    assert (album.publication_state, album.publish_at) == ("scheduled", goes_live)
    assert visitor.get(album.get_absolute_url()).status_code == 404
    with after(goes_live):
        assert visitor.get(album.get_absolute_url()).status_code == 200


# The changelists: filter, column and actions ------------------------------------------------------------


def states(model):
    return {
        "draft": {"draft": True},
        "scheduled": {model.publish_field: tomorrow()},
        "published": {},
    }


FACTORIES = {Album: factories.AlbumFactory, Review: factories.ReviewFactory,
             BestOfList: factories.BestOfListFactory, Article: factories.ArticleFactory}


@pytest.mark.parametrize("model", FACTORIES, ids=lambda model: model._meta.model_name)
def test_the_state_filter_and_column(editor_client, model):
    made = {state: FACTORIES[model](**kwargs) for state, kwargs in states(model).items()}
    url = admin_url(model, "changelist")
    for state, obj in made.items():
        root = parse(editor_client.get(url, {"state": state}).content)
        rows = root.find(id="result_list").find("tbody").find_all("tr")
        assert len(rows) == 1, state
        column = rows[0].find(class_="field-state").text
        when = getattr(obj, obj.publish_field)
        label = {"draft": "Draft", "scheduled": "Scheduled for", "published": "Published"}[state]
        assert column == (f"{label} {when:%-d %b %Y, %H:%M}" if when else label)
    everything = parse(editor_client.get(url).content).find(id="result_list").find("tbody").find_all("tr")
    assert len(everything) == 3


def post_action(client, model, action, objects):
    return client.post(admin_url(model, "changelist"), {
        "action": action, "_selected_action": [str(obj.pk) for obj in objects], "index": "0",
    })


@pytest.mark.parametrize("model", FACTORIES, ids=lambda model: model._meta.model_name)
def test_publish_now_and_unpublish(editor_client, visitor, model):
    make = FACTORIES[model]
    draft, scheduled, live = (make(**kwargs) for kwargs in states(model).values())
    kept = getattr(live, live.publish_field)

    assert post_action(editor_client, model, "publish_now", [draft, scheduled, live]).status_code == 302
    for obj in (draft, scheduled, live):
        obj.refresh_from_db()
        assert obj.is_published
    assert getattr(live, live.publish_field) == kept  # already live: its place in feeds is kept
    assert visitor.get(scheduled.get_absolute_url().split("#")[0]).status_code == 200

    assert post_action(editor_client, model, "unpublish", [draft, scheduled]).status_code == 302
    for obj in (draft, scheduled):
        obj.refresh_from_db()
        assert obj.status == Status.DRAFT
    if model is not Review:  # a review's page is its album's, which stays
        assert visitor.get(draft.get_absolute_url()).status_code == 404


def test_publishing_a_scheduled_review_now_joins_the_aggregate(editor_client, visitor):
    album = factories.AlbumFactory()
    factories.ReviewFactory.create_batch(3, album=album, rating_value=6)
    waiting = factories.ReviewFactory(album=album, rating_value=10, publish_at=tomorrow())
    assert our_score(visitor, album).number == "60"
    post_action(editor_client, Review, "publish_now", [waiting])
    assert our_score(visitor, album).number == "70"
    post_action(editor_client, Review, "unpublish", [waiting])
    assert our_score(visitor, album).number == "60"


@pytest.fixture
def changer(db, django_user_model, client):
    """Staff who may view and change albums, reviews, lists and articles, but publish nothing."""
    user = django_user_model.objects.create_user("changer", is_staff=True)
    for model in FACTORIES:
        opts = model._meta
        user.user_permissions.add(*Permission.objects.filter(
            content_type__app_label=opts.app_label, codename__in=[f"view_{opts.model_name}",
                                                                  f"change_{opts.model_name}"]))
    client.force_login(user)
    client.user = user
    return client


def action_names(client, model):
    select = parse(client.get(admin_url(model, "changelist")).content).find("select", name="action")
    return {option.attrs["value"] for option in select.find_all("option")} if select else set()


@pytest.mark.parametrize("model", FACTORIES, ids=lambda model: model._meta.model_name)
def test_only_those_who_may_publish_are_offered_or_served_the_actions(changer, model):
    make = FACTORIES[model]
    draft, live = make(draft=True), make()
    assert not {"publish_now", "unpublish"} & action_names(changer, model)

    post_action(changer, model, "publish_now", [draft])  # forged: the form does not offer it
    post_action(changer, model, "unpublish", [live])
    draft.refresh_from_db()
    live.refresh_from_db()
    assert (draft.status, live.status) == (Status.DRAFT, Status.PUBLISHED)

    opts = model._meta
    changer.user.user_permissions.add(Permission.objects.get(
        content_type__app_label=opts.app_label, codename=f"publish_{opts.model_name}"))
    assert {"publish_now", "unpublish"} <= action_names(changer, model)
    post_action(changer, model, "publish_now", [draft])
    draft.refresh_from_db()
    assert draft.is_published
