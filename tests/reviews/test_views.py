"""The reviews pages as a visitor sees them: what is listed, in which order, and what is never shown."""

import pytest
from django.urls import resolve, reverse

from reviews import urls as reviews_urls
from reviews.models import BestOfList, Critic, Publication, Review
from tests import factories
from tests.pages import get_page, linked

pytestmark = pytest.mark.django_db

LIST_PAGES = ["review-list", "publication-list", "critic-list", "list-list", "article-list", "methodology"]


@pytest.mark.parametrize("name", LIST_PAGES)
def test_empty_site_pages_open(client, name):
    root = get_page(client, reverse(f"reviews:{name}"))
    assert root.find("h1") is not None


def test_reverse_and_resolve_agree():
    for pattern in reviews_urls.urlpatterns:
        kwargs = {"slug": "some-slug"} if "<slug:slug>" in str(pattern.pattern) else {}
        url = reverse(f"reviews:{pattern.name}", kwargs=kwargs)
        match = resolve(url)
        assert (match.namespace, match.url_name, match.kwargs) == ("reviews", pattern.name, kwargs)


# The reviews index --------------------------------------------------------------------------------------


def test_reviews_index_latest_first_and_only_what_visitors_may_see(client):
    older = factories.ReviewFactory(date="2003-09", album__title="Older")
    newer = factories.ReviewFactory(date="2004-01-05", album__title="Newer")
    draft = factories.ReviewFactory(draft=True, album__title="Draft Review")
    hidden_album = factories.ReviewFactory(album=factories.AlbumFactory(title="Hidden Album", draft=True))

    root = get_page(client, reverse("reviews:review-list"))
    titles = [item.find(class_="review__album").text for item in root.find_all("li", class_="review")]

    assert titles == ["Newer (2003)", "Older (2003)"]
    assert "Draft Review" not in root.text and "Hidden Album" not in root.text
    assert draft.album.title not in root.text and hidden_album.album.title not in root.text
    assert root.find("a", href=f"{newer.album.get_absolute_url()}#review-{newer.pk}") is not None
    assert older.publication.name in root.text


def test_reviews_index_paginates(client):
    factories.ReviewFactory.create_batch(32)
    first = get_page(client, reverse("reviews:review-list"))
    second = get_page(client, reverse("reviews:review-list"), page=2)
    assert len(first.find_all("li", class_="review")) == 30
    assert len(second.find_all("li", class_="review")) == 2
    assert second.find("a", rel="prev") is not None


def test_reviews_index_prints_each_rating_as_published(client):
    factories.ReviewFactory(stars=True, rating_value="4.5")
    factories.ReviewFactory(scale="100", rating_value=84)
    factories.ReviewFactory(letter=True, grade="B-")
    factories.ReviewFactory(unscored=True)
    root = get_page(client, reverse("reviews:review-list"))
    ratings = sorted(element.text for element in root.find_all(class_="review__rating"))
    assert ratings == ["4.5/5 stars", "84/100", "B-"]
    numbers = sorted(element.text for element in root.find_all(class_="score__number"))
    assert numbers == ["67 out of 100", "84 out of 100", "90 out of 100", "–"]


# Publications and critics -------------------------------------------------------------------------------


def test_publication_page(client, reception):
    pitchfork = Publication.objects.get(slug="pitchfork")
    root = get_page(client, pitchfork.get_absolute_url())
    assert root.find("h1").text == "Pitchfork"
    facts = root.find("dl", class_="facts").text
    assert "Rates Out of 10" in facts
    assert "Critics Mark Richardson" in facts
    reviews = root.find(id="reviews")
    assert len(reviews.find_all("li", class_="review")) == 1
    assert "6.3/10" in reviews.text and "the tracks hang together and flow relatively well" in reviews.text
    assert linked(root.find(id="lists"), BestOfList.objects.get(slug="pitchfork-50-best-movie-soundtracks"))
    assert "(2019)" in root.find(id="lists").text


def test_publication_page_hides_draft_reviews_and_lists(client):
    publication = factories.PublicationFactory(name="Mojo")
    factories.ReviewFactory(publication=publication, draft=True, album__title="Draft Review")
    factories.BestOfListFactory(publication=publication, draft=True, title="Draft List")
    root = get_page(client, publication.get_absolute_url())
    assert "Draft Review" not in root.text and "Draft List" not in root.text
    assert "No reviews from Mojo yet." in root.text


def test_publication_list_counts_only_published_reviews(client, reception):
    factories.ReviewFactory(publication=Publication.objects.get(slug="pitchfork"), draft=True)
    root = get_page(client, reverse("reviews:publication-list"))
    tiles = {tile.find("a").text: tile.find(class_="tile__meta").text for tile in root.find_all("li", class_="tile")}
    assert tiles["Pitchfork"] == "1 review · Website"
    assert tiles["Rolling Stone"] == "0 reviews · Magazine"
    assert len(tiles) == 7


def test_critic_list(client, reception):
    root = get_page(client, reverse("reviews:critic-list"))
    tiles = {tile.find("a").text: tile.find(class_="tile__meta").text for tile in root.find_all("li", class_="tile")}
    assert tiles["Mark Richardson"] == "Pitchfork"
    assert len(tiles) == 5


def test_critic_page_against_the_consensus(client, reception):
    """Mark Richardson's 63 against the album's 67 (the mean of 80, 63 and 58)."""
    richardson = Critic.objects.get(slug="mark-richardson")
    root = get_page(client, richardson.get_absolute_url())
    assert root.find("h1").text == "Mark Richardson"
    consensus = root.find(id="consensus").find(class_="consensus__summary").text
    assert consensus == (
        "Their average: 63 across 1 scored review; the consensus on those albums: 67; "
        "on average 4 points below the consensus."
    )
    review = root.find(id="reviews").find("li", class_="review")
    assert "Album’s score: 67 from 3 scored reviews" in review.text
    assert "Pitchfork" in review.text


def test_critic_page_above_the_consensus_over_several_albums(client):
    critic = factories.CriticFactory(name="Nina Critic")
    for own, others in ((9, [5, 4]), (7, [7, 4])):  # album means 6 and 6, so a consensus of 60
        album = factories.AlbumFactory()
        factories.ReviewFactory(album=album, critic=critic, rating_value=own)
        for value in others:
            factories.ReviewFactory(album=album, rating_value=value)
    factories.ReviewFactory(critic=critic, unscored=True)
    factories.ReviewFactory(critic=critic, rating_value=1, draft=True)

    root = get_page(client, critic.get_absolute_url())
    consensus = root.find(id="consensus").find(class_="consensus__summary").text
    assert consensus == (
        "Their average: 80 across 2 scored reviews; the consensus on those albums: 60; "
        "on average 20 points above the consensus."
    )
    assert len(root.find(id="reviews").find_all("li", class_="review")) == 3  # the draft is hidden


def test_critic_without_scored_reviews_has_no_consensus(client, reception):
    root = get_page(client, Critic.objects.get(slug="heather-phares").get_absolute_url())
    assert root.find(id="consensus") is None
    assert "Perfectly defined in its hazy beauty" in root.find(id="reviews").text


# Best-of lists -----------------------------------------------------------------------------------------


def test_ranked_list_page(client, reception):
    best_of = BestOfList.objects.get(slug="rolling-stone-25-greatest-soundtracks")
    other = factories.ListEntryFactory(best_of_list=best_of, rank=3, album__title="Purple Rain",
                                       blurb="A film built around its songs.")
    factories.ListEntryFactory(best_of_list=best_of, rank=5, album=factories.AlbumFactory(draft=True))

    root = get_page(client, best_of.get_absolute_url())

    assert root.find("h1").text == "The 25 Greatest Soundtracks of All Time"
    entries = root.find(id="entries")
    shown = [(item.text.split()[0], linked(item, other.album), linked(item, reception))
             for item in entries.find_all("li")]
    assert shown == [("#3", True, False), ("#22", False, True)]
    assert "A film built around its songs." in entries.text
    assert "2 of the list’s 25 entries are in our catalog, shown at their places in the list." in entries.text


def test_unranked_list_page(client, reception):
    best_of = BestOfList.objects.get(slug="empire-20-soundtracks-that-defined-the-2000s")
    root = get_page(client, best_of.get_absolute_url())
    entries = root.find(id="entries")
    assert linked(entries, reception)
    assert "#" not in entries.text
    assert "The list gives them in no particular order." in entries.text
    assert "In no particular order" in root.find("dl", class_="facts").text


def test_lists_index(client, reception):
    factories.BestOfListFactory(draft=True, title="Draft List")
    root = get_page(client, reverse("reviews:list-list"))
    tiles = {tile.find("h2").text: tile.find(class_="tile__meta").text for tile in root.find_all("li", class_="tile")}
    assert tiles == {
        "The 50 Best Movie Soundtracks of All Time": "1 of its 50 entries is in our catalog",
        "The 25 Greatest Soundtracks of All Time": "1 of its 25 entries is in our catalog",
        "The 20 Soundtracks That Defined the 2000s": "1 of its 20 entries is in our catalog · unranked",
    }


# Methodology -------------------------------------------------------------------------------------------


def test_methodology_lists_the_letter_table_and_the_bands(client):
    root = get_page(client, reverse("reviews:methodology"))
    grades = [(row.find("th").text, row.find("td").text)
              for row in root.find("table", class_="grade-table").find("tbody").find_all("tr")]
    assert grades == [
        ("A+", "100"), ("A", "100"), ("A-", "91"), ("B+", "83"), ("B", "75"), ("B-", "67"), ("C+", "58"),
        ("C", "50"), ("C-", "42"), ("D+", "33"), ("D", "25"), ("D-", "16"), ("F", "0"),
    ]
    bands = [(row.find("th").text, row.find("td").text)
             for row in root.find("table", class_="band-table").find("tbody").find_all("tr")]
    assert bands == [
        ("81–100", "Universal acclaim"), ("61–80", "Generally favorable"), ("40–60", "Mixed or average"),
        ("20–39", "Generally unfavorable"), ("0–19", "Overwhelming dislike"),
    ]
    assert "With fewer than 4 scored reviews" in root.text


def test_album_page_links_to_the_methodology(client, reception):
    root = get_page(client, reception.get_absolute_url())
    assert root.find(id="reception").find("a", href=reverse("reviews:methodology")) is not None


def test_album_page_without_reception(client):
    album = factories.AlbumFactory()
    root = get_page(client, album.get_absolute_url())
    assert "No reviews yet." in root.find(id="reception").text
    assert root.find(id="reception").find(class_="score") is None
    assert "No list placements or commentary recorded yet." in root.find(id="legacy").text


def test_album_page_shows_an_unsigned_review(client):
    review = factories.ReviewFactory(critic=None, publication__name="The Wire", quote="Unsigned but sure")
    item = get_page(client, review.album.get_absolute_url()).find("li", id=f"review-{review.pk}")
    assert item.find(class_="review__publication").text == "The Wire"
    assert item.find(class_="review__critic").text == "(unsigned)"
    assert "Unsigned but sure" in item.text


def test_album_page_hides_draft_reviews_and_lists(client):
    album = factories.AlbumFactory()
    factories.ReviewFactory(album=album, draft=True, quote="Not for visitors")
    factories.ListEntryFactory(album=album, best_of_list=factories.BestOfListFactory(draft=True, title="Draft List"))
    root = get_page(client, album.get_absolute_url())
    assert "Not for visitors" not in root.text and "Draft List" not in root.text
    assert Review.objects.count() == 1
