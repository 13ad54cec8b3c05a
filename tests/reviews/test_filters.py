"""Browsing reviews: by publication, critic, score range and date, alone and together, and garbage in the address."""

from decimal import Decimal

import pytest
from django.urls import reverse

from tests import factories
from tests.catalog.test_filters import assert_form_error
from tests.pages import parse

pytestmark = pytest.mark.django_db

REVIEWS = reverse("reviews:review-list")


@pytest.fixture
def shelf():
    """Five published reviews (and two hidden ones) that differ in publication, critic, score and date."""
    wire, uncut = factories.PublicationFactory(name="The Wire"), factories.PublicationFactory(name="Uncut")
    ann, simon = factories.CriticFactory(name="Ann Powers"), factories.CriticFactory(name="Simon Reynolds")

    def review(title, publication, critic, score, date, **kwargs):
        rating = {"rating_value": Decimal(score) / 10} if score is not None else {"unscored": True}
        factories.ReviewFactory(album__title=title, publication=publication, critic=critic, date=date,
                                **rating, **kwargs)

    review("Alpha", wire, ann, 90, "2003-09-12")
    review("Bravo", wire, simon, 60, "2003-10")
    review("Charlie", uncut, ann, 40, "2003")
    review("Delta", uncut, None, None, "2011-01-05")
    review("Echo", uncut, simon, 75, "1999-12-31")
    review("Draft", wire, ann, 90, "2003-09-12", draft=True)
    factories.ReviewFactory(album=factories.AlbumFactory(title="Hidden Album", draft=True), publication=wire,
                            critic=ann, date="2003-09-12")


def shown(client, params=None):
    response = client.get(REVIEWS, params or {})
    assert response.status_code == 200
    root = parse(response.content)
    titles = [item.find("cite").text for item in root.find_all("li", class_="review")]
    return titles, root


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, ["Delta", "Bravo", "Alpha", "Charlie", "Echo"]),  # latest first
        ({"publication": "the-wire"}, ["Bravo", "Alpha"]),
        ({"critic": "ann-powers"}, ["Alpha", "Charlie"]),
        ({"score_min": "60"}, ["Bravo", "Alpha", "Echo"]),
        ({"score_max": "60"}, ["Bravo", "Charlie"]),
        ({"score_min": "0", "score_max": "100"}, ["Bravo", "Alpha", "Charlie", "Echo"]),  # unscored is no score
        ({"date_from": "2003-09"}, ["Delta", "Bravo", "Alpha"]),
        ({"date_from": "2003"}, ["Delta", "Bravo", "Alpha", "Charlie"]),
        ({"date_to": "2003"}, ["Bravo", "Alpha", "Charlie", "Echo"]),
        ({"date_to": "2003-09"}, ["Alpha", "Charlie", "Echo"]),  # "2003" may be any month: kept
        ({"date_to": "1999-12-31"}, ["Echo"]),
        ({"date_from": "2003-09", "date_to": "2003"}, ["Bravo", "Alpha"]),  # compared as precisely as both
        ({"sort": "-score"}, ["Alpha", "Echo", "Bravo", "Charlie", "Delta"]),  # unscored last
        ({"sort": "score"}, ["Charlie", "Bravo", "Echo", "Alpha", "Delta"]),  # unscored last here too
        ({"sort": "-date"}, ["Delta", "Bravo", "Alpha", "Charlie", "Echo"]),
        ({"publication": "uncut", "critic": "simon-reynolds"}, ["Echo"]),
        ({"publication": "uncut", "sort": "-score"}, ["Echo", "Charlie", "Delta"]),
        ({"critic": "ann-powers", "score_min": "50", "date_from": "2003", "date_to": "2003-12"}, ["Alpha"]),
    ],
)
def test_review_filters(client, shelf, params, expected):
    titles, root = shown(client, params)
    assert titles == expected
    assert "Draft" not in titles and "Hidden Album" not in root.text


def test_review_form_and_count(client, shelf):
    titles, root = shown(client, {"publication": "uncut", "score_min": "50"})
    assert titles == ["Echo"]
    assert root.find(id="result-count").text.startswith("1 review matches your filters.")
    form = root.find("form", id="filters")
    assert form.attrs["aria-label"] == "Filter reviews"
    assert form.find("select", id="id_publication").find("option", selected="").attrs["value"] == "uncut"
    assert form.find("input", id="id_score_min").attrs["value"] == "50"


def test_review_pagination_keeps_the_filters(client):
    publication = factories.PublicationFactory(name="The Wire")
    factories.ReviewFactory.create_batch(32, publication=publication)
    factories.ReviewFactory()
    root = shown(client, {"publication": "the-wire"})[1]
    next_link = root.find("a", rel="next").attrs["href"]
    assert "publication=the-wire" in next_link and "page=2" in next_link
    second = parse(client.get(REVIEWS + next_link).content)
    assert len(second.find_all("li", class_="review")) == 2


HOSTILE = [
    ("publication", "no-such-publication"),
    ("critic", "<script>alert(1)</script>"),
    ("critic", "x" * 5000),
    ("score_min", "abc"),
    ("score_min", "101"),
    ("score_max", "-5"),
    ("score_max", "99999999999999999999"),
    ("score_min", "1; DROP TABLE reviews_review;--"),
    ("date_from", "2003-13"),
    ("date_from", "yesterday"),
    ("date_to", "2003-02-30"),
    ("date_to", "<b>2003</b>"),
    ("sort", "-created_at"),
]


@pytest.mark.parametrize(("name", "value"), HOSTILE, ids=[f"{name}={value[:24]!r}" for name, value in HOSTILE])
def test_review_garbage_is_a_form_error(client, shelf, name, value):
    root = assert_form_error(client.get(REVIEWS, {name: value}), value)
    assert root.find(id=f"id_{name}").attrs.get("aria-invalid") == "true"
    assert root.find("li", class_="review") is None


@pytest.mark.parametrize(("low", "high"), [("score_min", "score_max"), ("date_from", "date_to")])
def test_review_ranges_the_wrong_way_round(client, shelf, low, high):
    values = {"score_min": "80", "score_max": "20", "date_from": "2004", "date_to": "2003-12"}
    assert_form_error(client.get(REVIEWS, {low: values[low], high: values[high]}))
