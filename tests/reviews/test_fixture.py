"""The reception fixture, checked where it matters: on the album page a visitor reads.

Every fact comes from the project's reference notes (../shared/reference/lost_in_translation.md):
ratings as published, Metacritic's score kept apart from ours, the lists and the commentary.
"""

from decimal import Decimal

import pytest
from django.apps import apps
from django.core.management import call_command

from reviews.models import AlbumScore, Review
from tests.conftest import RECEPTION_FIXTURE
from tests.reviews.album_page import album_page, our_score

pytestmark = pytest.mark.django_db

# (publication, critic, pull quote, rating as printed on the page)
REVIEWS = [
    ("AllMusic", "Heather Phares", "Perfectly defined in its hazy beauty", None),
    ("Drowned in Sound", "Gareth Dobson", "gently guides you through a myriad of woozy joys", "8/10"),
    ("Consequence of Sound", "Frank Mojica", "the third star of the picture", None),
    ("Pitchfork", "Mark Richardson", "the tracks hang together and flow relatively well", "6.3/10"),
    ("Stylus Magazine", "Andrew Unterberger", "disappointing, but still a worthy purchase", "C+"),
]


def test_reviews_keep_their_ratings_as_published(reception):
    ratings = {
        review.publication.name: (review.rating_display, review.score)
        for review in Review.objects.filter(album=reception).select_related("publication")
    }
    assert ratings == {
        "AllMusic": ("", None),
        "Drowned in Sound": ("8/10", 80),
        "Consequence of Sound": ("", None),
        "Pitchfork": ("6.3/10", 63),
        "Stylus Magazine": ("C+", 58),
    }


def test_the_stored_aggregate_after_loading(reception):
    score = AlbumScore.objects.get(album=reception)
    assert (score.mean, score.score, score.scored_count, score.review_count) == (Decimal("67.0"), 67, 3, 5)
    assert score.has_verdict is False and score.band is None


def test_album_page_shows_our_aggregate_without_a_verdict(client, reception):
    shown = our_score(client, reception)
    assert shown.number == "67"
    assert shown.band == "No verdict yet"
    assert "Not enough reviews yet for a verdict: 3 scored reviews, 4 needed." in shown.basis
    assert "5 reviews in all" in shown.basis


def test_album_page_shows_metacritic_apart_from_ours(client, reception):
    section = album_page(client, reception).find(id="reception")
    ours = section.find(class_="scoreboard__panel--ours")
    outside = section.find(class_="scoreboard__panel--outside")
    assert "84" not in ours.text and "Metacritic" not in ours.text
    assert "Outside scores" in outside.text
    badge = outside.find(class_="score")
    assert badge.find(class_="score__label").text == "Metacritic"
    assert badge.find(class_="score__number").text == "84 out of 100"
    assert badge.find(class_="score__band").text == "Universal acclaim"
    assert "From 9 reviews." in outside.text
    assert "Metacritic’s own score, by its own method; not part of ours." in outside.text


def test_album_page_shows_each_review(client, reception):
    section = album_page(client, reception).find(id="reception")
    assert len(section.find_all("li", class_="review")) == 5
    for publication, critic, quote, rating in REVIEWS:
        review = Review.objects.get(album=reception, publication__name=publication)
        item = section.find("li", id=f"review-{review.pk}")
        assert item is not None, publication
        assert item.find(class_="review__publication").text == publication
        assert item.find(class_="review__critic").text == f"by {critic}"
        assert item.find("blockquote").text == f"“{quote}”"
        if rating:
            assert item.find(class_="review__rating").text == rating
        else:
            assert "No rating, so not counted in our score" in item.text
        assert review.get_absolute_url() == f"{reception.get_absolute_url()}#review-{review.pk}"


def test_album_page_links_each_review_to_its_publication_and_critic(client, reception):
    section = album_page(client, reception).find(id="reception")
    for review in Review.objects.filter(album=reception).select_related("publication", "critic"):
        item = section.find("li", id=f"review-{review.pk}")
        assert item.find("a", href=review.publication.get_absolute_url()) is not None
        assert item.find("a", href=review.critic.get_absolute_url()) is not None


def test_album_page_shows_the_three_lists(client, reception):
    legacy = album_page(client, reception).find(id="legacy")
    placements = [item.find(class_="placement__text").text for item in legacy.find_all("li", class_="placement")]
    assert sorted(placements) == sorted([
        "#22 in Rolling Stone’s The 25 Greatest Soundtracks of All Time",
        "#7 in Pitchfork’s The 50 Best Movie Soundtracks of All Time (2019)",
        "Included in Empire’s The 20 Soundtracks That Defined the 2000s (unranked)",
    ])


def test_album_page_shows_the_two_commentary_entries_in_legacy(client, reception):
    root = album_page(client, reception)
    remarks = root.find(id="legacy").find_all("li", class_="remark")
    assert len(remarks) == 2
    mojica, sonic_cathedral = remarks
    assert "Mojica counts the soundtrack among the things the film is best known for" in mojica.text
    assert "“the music serves as the third star of the picture”" in mojica.text
    assert "Frank Mojica, critic, Consequence of Sound" in mojica.text
    # An apostrophe in the data: escaped in the HTML, read back as the visitor sees it.
    assert "an important reason for the genre's revival" in sonic_cathedral.text
    assert "The head of Sonic Cathedral, record label" in sonic_cathedral.text
    assert "Sonic Cathedral" not in root.find(id="reception").text


# Loading ------------------------------------------------------------------------------------------


def counts():
    return {model: model._default_manager.count() for model in apps.get_app_config("reviews").get_models()}


def test_loads_twice_without_duplicates(reception):
    once = counts()
    score = AlbumScore.objects.values().get(album=reception)

    call_command("load_checked", str(RECEPTION_FIXTURE), verbosity=0)

    assert counts() == once
    assert {name: value for name, value in AlbumScore.objects.values().get(album=reception).items()
            if name != "updated_at"} == {name: value for name, value in score.items() if name != "updated_at"}
    assert once[Review] == 5


def test_every_object_passes_full_clean(reception):
    checked = 0
    for model in apps.get_app_config("reviews").get_models():
        for obj in model._default_manager.all():
            obj.full_clean()
            checked += 1
    assert checked >= 28  # the fixture's 28 objects, and the aggregate the load computed
