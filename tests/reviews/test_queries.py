"""Every reviews page costs the same number of queries with little data and with a lot.

Each test measures a page on small data, then grows the data and asserts the page costs no more
queries than before (and shows the grown data, so the budget is not met by showing less).
"""

import pytest
from django.db.models import Max
from django.urls import reverse

from tests import factories
from tests.catalog.test_queries import count_queries, get_within

pytestmark = pytest.mark.django_db


def album_with_reception(album, *, reviews, placements, remarks, outside):
    """Reviews on every scale, each by its own critic and publication; list places; commentary."""
    kinds = [{}, {"stars": True}, {"letter": True}, {"unscored": True}, {"scale": "100", "rating_value": 70}]
    for n in range(reviews):
        factories.ReviewFactory(album=album, **kinds[n % len(kinds)])
    for n in range(placements):
        factories.ListEntryFactory(album=album, best_of_list=factories.BestOfListFactory(unranked=n % 3 == 0))
    # After the album's own remarks: the factory's positions start at 1 in a fresh process, where
    # they would collide with the fixture's.
    first = (album.commentary.aggregate(last=Max("position"))["last"] or 0) + 1
    for position in range(first, first + remarks):
        factories.CommentaryFactory(album=album, critic=factories.CriticFactory(), position=position,
                                    publication=factories.PublicationFactory(), quote="A remark")
    factories.OutsideAggregateFactory.create_batch(outside, album=album)
    return album


def test_album_page(client, django_assert_max_num_queries):
    """The reception adds the same queries to the album page whether it is empty or full."""
    empty = factories.AlbumFactory()
    budget = count_queries(client, empty.get_absolute_url())

    full = album_with_reception(factories.AlbumFactory(), reviews=50, placements=10, remarks=5, outside=2)
    root = get_within(client, full.get_absolute_url(), budget, django_assert_max_num_queries)

    assert len(root.find(id="reception").find_all("li", class_="review")) == 50
    assert len(root.find(id="legacy").find_all("li", class_="placement")) == 10
    assert len(root.find(id="legacy").find_all("li", class_="remark")) == 5
    assert len(root.find(class_="outside-scores").find_all("li")) == 2


def test_album_page_of_the_fixture_as_its_reception_grows(client, django_assert_max_num_queries, reception):
    budget = count_queries(client, reception.get_absolute_url())

    album_with_reception(reception, reviews=20, placements=5, remarks=3, outside=1)
    root = get_within(client, reception.get_absolute_url(), budget, django_assert_max_num_queries)
    assert len(root.find(id="reception").find_all("li", class_="review")) == 25


def test_best_of_list_page(client, django_assert_max_num_queries):
    def add_entries(best_of, count):
        for _ in range(count):
            album = factories.AlbumFactory(film=factories.FilmFactory(), genres=factories.GenreFactory.create_batch(2))
            factories.ListEntryFactory(best_of_list=best_of, album=album, blurb="Why it is here.")

    best_of = factories.BestOfListFactory(size=200)
    add_entries(best_of, 5)
    budget = count_queries(client, best_of.get_absolute_url())

    add_entries(best_of, 95)
    root = get_within(client, best_of.get_absolute_url(), budget, django_assert_max_num_queries)
    assert root.text.count("Why it is here.") == 100


def test_reviews_index_any_page(client, django_assert_max_num_queries):
    url = reverse("reviews:review-list")
    factories.ReviewFactory()
    budget = count_queries(client, url)

    for n in range(100):
        factories.ReviewFactory(**({"letter": True} if n % 2 else {"stars": True}))
    first = get_within(client, url, budget, django_assert_max_num_queries)
    third = get_within(client, f"{url}?page=3", budget, django_assert_max_num_queries)
    assert len(first.find_all("li", class_="review")) == len(third.find_all("li", class_="review")) == 30


def test_publication_page(client, django_assert_max_num_queries):
    publication = factories.PublicationFactory()

    def add(reviews, critics, lists):
        critic_list = factories.CriticFactory.create_batch(critics, publications=[publication])
        for n in range(reviews):
            factories.ReviewFactory(publication=publication, critic=critic_list[n % critics],
                                    **({"stars": True, "out_of": 4 + n % 3} if n % 2 else {}))
        factories.BestOfListFactory.create_batch(lists, publication=publication)

    add(reviews=1, critics=1, lists=1)
    budget = count_queries(client, publication.get_absolute_url())

    add(reviews=40, critics=5, lists=4)
    root = get_within(client, publication.get_absolute_url(), budget, django_assert_max_num_queries)
    assert len(root.find(id="reviews").find_all("li", class_="review")) == 30
    assert len(root.find(id="lists").find_all("li")) == 5


def test_critic_page(client, django_assert_max_num_queries):
    critic = factories.CriticFactory(publications=[factories.PublicationFactory()])

    def add(reviews, publications):
        for publication in factories.PublicationFactory.create_batch(publications):
            critic.publications.add(publication)
        for _ in range(reviews):
            review = factories.ReviewFactory(critic=critic)
            factories.ReviewFactory(album=review.album, rating_value=6)  # a consensus to compare with

    add(reviews=1, publications=0)
    budget = count_queries(client, critic.get_absolute_url())

    add(reviews=40, publications=4)
    root = get_within(client, critic.get_absolute_url(), budget, django_assert_max_num_queries)
    assert len(root.find(id="reviews").find_all("li", class_="review")) == 30
    assert "across 41 scored reviews" in root.find(id="consensus").text


@pytest.mark.parametrize(
    ("name", "make_one", "page_size"),
    [
        ("publication-list", lambda: factories.ReviewFactory().publication, 60),
        ("critic-list", lambda: factories.CriticFactory(publications=factories.PublicationFactory.create_batch(2)),
         60),
        ("list-list", lambda: factories.ListEntryFactory().best_of_list, 30),
        ("article-list", lambda: factories.ArticleFactory(albums=[factories.AlbumFactory()]), 20),
    ],
)
def test_index_pages(client, django_assert_max_num_queries, name, make_one, page_size):
    url = reverse(f"reviews:{name}")
    shown = [make_one()]
    budget = count_queries(client, url)

    shown += [make_one() for _ in range(page_size + 5)]
    root = get_within(client, url, budget, django_assert_max_num_queries)
    assert sum(root.find("a", href=obj.get_absolute_url()) is not None for obj in shown) == page_size


def test_article_page(client, django_assert_max_num_queries):
    article = factories.ArticleFactory()

    def add(albums, artists):
        article.albums.add(*(factories.AlbumFactory(film=factories.FilmFactory(),
                                                    genres=[factories.GenreFactory()]) for _ in range(albums)))
        article.artists.add(*factories.ArtistFactory.create_batch(artists))

    add(albums=1, artists=1)
    budget = count_queries(client, article.get_absolute_url())

    add(albums=8, artists=12)
    root = get_within(client, article.get_absolute_url(), budget, django_assert_max_num_queries)
    assert len(root.find("aside", class_="article-aside").find_all("a")) >= 9 + 13


def test_methodology_page(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(0):
        assert client.get(reverse("reviews:methodology")).status_code == 200
