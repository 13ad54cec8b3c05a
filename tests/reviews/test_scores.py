"""Ratings as published and their 0–100 score: every scale, its edges, and the values it refuses.

The conversion is the one on the methodology page (Metacritic's published method); the tests go
through the model, so the score checked is the one saved and shown.
"""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from reviews.models import Review, Scale
from reviews.models.scores import BANDS, LETTER_GRADES, Band, band_for, format_rating, normalize
from tests import factories

pytestmark = pytest.mark.django_db

LETTER_TABLE = {
    "A+": 100, "A": 100, "A-": 91,
    "B+": 83, "B": 75, "B-": 67,
    "C+": 58, "C": 50, "C-": 42,
    "D+": 33, "D": 25, "D-": 16,
    "F": 0,
}


def saved_score(**rating):
    """The score a review gets once saved with this rating (after the model's own validation)."""
    review = factories.ReviewFactory.build(album=factories.AlbumFactory(), publication=factories.PublicationFactory(),
                                           critic=None, **rating)
    review.full_clean()
    review.save()
    review.refresh_from_db()
    return review.score


@pytest.mark.parametrize(
    ("rating", "score"),
    [
        ({"scale": Scale.STARS, "rating_value": "0", "out_of": 5}, 0),
        ({"scale": Scale.STARS, "rating_value": "5", "out_of": 5}, 100),
        ({"scale": Scale.STARS, "rating_value": "4.5", "out_of": 5}, 90),
        ({"scale": Scale.STARS, "rating_value": "3", "out_of": 5}, 60),
        ({"scale": Scale.STARS, "rating_value": "3.5", "out_of": 4}, 88),  # 87.5, rounded half up
        ({"scale": Scale.STARS, "rating_value": "0.5", "out_of": 4}, 13),  # 12.5, rounded half up
        ({"scale": Scale.STARS, "rating_value": "10", "out_of": 10}, 100),
        ({"scale": Scale.OUT_OF_10, "rating_value": "0"}, 0),
        ({"scale": Scale.OUT_OF_10, "rating_value": "10"}, 100),
        ({"scale": Scale.OUT_OF_10, "rating_value": "6.3"}, 63),
        ({"scale": Scale.OUT_OF_10, "rating_value": "8"}, 80),
        ({"scale": Scale.OUT_OF_100, "rating_value": "0"}, 0),
        ({"scale": Scale.OUT_OF_100, "rating_value": "100"}, 100),
        ({"scale": Scale.OUT_OF_100, "rating_value": "84"}, 84),
        ({"scale": Scale.NONE, "rating_value": None}, None),
    ],
    ids=lambda value: "-".join(str(v) for v in value.values()) if isinstance(value, dict) else str(value),
)
def test_numeric_scales(rating, score):
    rating = {**rating, "rating_value": Decimal(rating["rating_value"]) if rating["rating_value"] else None}
    assert saved_score(**rating) == score


@pytest.mark.parametrize(("grade", "score"), LETTER_TABLE.items())
def test_every_letter_grade(grade, score):
    assert saved_score(scale=Scale.LETTER, rating_value=None, grade=grade) == score


def test_the_letter_table_is_the_published_one():
    assert LETTER_GRADES == LETTER_TABLE


@pytest.mark.parametrize("typed", ["c+", " C+ ", "C\u2212", "C\u2013"])
def test_letter_grades_as_editors_type_them(typed):
    """Lower case, stray spaces and typographic minus signs are read as the grade they mean."""
    expected = 58 if "+" in typed else 42
    review = factories.ReviewFactory.build(album=factories.AlbumFactory(), letter=True, grade=typed,
                                           publication=factories.PublicationFactory(), critic=None)
    review.clean()
    review.save()
    assert review.score == expected


def test_normalize_alone():
    assert normalize(Scale.STARS, Decimal("4.5"), 5) == 90
    assert normalize(Scale.OUT_OF_10, Decimal("6.3")) == 63
    assert normalize(Scale.LETTER, grade="C+") == 58
    assert normalize(Scale.NONE) is None


@pytest.mark.parametrize(
    ("rating", "printed"),
    [
        ((Scale.STARS, Decimal("4.5"), 5, ""), "4.5/5 stars"),
        ((Scale.STARS, Decimal("4.0"), 5, ""), "4/5 stars"),
        ((Scale.OUT_OF_10, Decimal("6.3"), None, ""), "6.3/10"),
        ((Scale.OUT_OF_10, Decimal("8.0"), None, ""), "8/10"),
        ((Scale.OUT_OF_100, Decimal("84"), None, ""), "84/100"),
        ((Scale.LETTER, None, None, "C+"), "C+"),
        ((Scale.NONE, None, None, ""), ""),
    ],
)
def test_ratings_print_as_published(rating, printed):
    assert format_rating(*rating) == printed


@pytest.mark.parametrize(
    ("score", "band"),
    [
        (100, Band.ACCLAIM), (81, Band.ACCLAIM), (80, Band.FAVORABLE), (61, Band.FAVORABLE),
        (60, Band.MIXED), (40, Band.MIXED), (39, Band.UNFAVORABLE), (20, Band.UNFAVORABLE),
        (19, Band.DISLIKE), (0, Band.DISLIKE), (None, None),
    ],
)
def test_band_edges(score, band):
    assert band_for(score) == band


def test_bands_cover_0_to_100_without_gaps():
    covered = sorted(score for low, high, _band in BANDS for score in range(low, high + 1))
    assert covered == list(range(101))


# Refused ratings ---------------------------------------------------------------------------------

BAD_RATINGS = [
    pytest.param({"scale": Scale.STARS, "rating_value": "6", "out_of": 5}, "rating_value", "maximum of 5",
                 id="6-of-5-stars"),
    pytest.param({"scale": Scale.OUT_OF_10, "rating_value": "11"}, "rating_value", "maximum of 10", id="11-of-10"),
    pytest.param({"scale": Scale.OUT_OF_100, "rating_value": "101"}, "rating_value", "maximum of 100",
                 id="101-of-100"),
    pytest.param({"scale": Scale.STARS, "rating_value": "3.3", "out_of": 5}, "rating_value", "half steps",
                 id="3.3-stars"),
    pytest.param({"scale": Scale.OUT_OF_100, "rating_value": "84.5"}, "rating_value", "whole number",
                 id="84.5-of-100"),
    pytest.param({"scale": Scale.LETTER, "grade": "Z"}, "grade", "", id="grade-Z"),
    pytest.param({"scale": Scale.OUT_OF_10, "rating_value": "-1"}, "rating_value", "negative", id="negative-of-10"),
    pytest.param({"scale": Scale.STARS, "rating_value": "-0.5", "out_of": 5}, "rating_value", "negative",
                 id="negative-stars"),
    pytest.param({"scale": Scale.NONE, "rating_value": "7"}, "scale", "pick the scale", id="value-on-scale-none"),
    pytest.param({"scale": Scale.NONE, "grade": "B"}, "scale", "pick the scale", id="grade-on-scale-none"),
    pytest.param({"scale": Scale.STARS, "rating_value": "4"}, "out_of", "how many stars", id="stars-without-out-of"),
    pytest.param({"scale": Scale.STARS, "rating_value": "4", "out_of": 11}, "out_of", "", id="11-star-scale"),
    pytest.param({"scale": Scale.OUT_OF_10}, "rating_value", "give the rating", id="out-of-10-without-value"),
    pytest.param({"scale": Scale.LETTER, "rating_value": "8", "grade": "B"}, "rating_value", "no number",
                 id="number-on-letter-grade"),
    pytest.param({"scale": Scale.OUT_OF_10, "rating_value": "8", "out_of": 5}, "out_of", "only star ratings",
                 id="out-of-on-out-of-10"),
]


def bad_review(rating):
    values = {"rating_value": None, "out_of": None, "grade": "", **rating}
    if values["rating_value"] is not None:
        values["rating_value"] = Decimal(values["rating_value"])
    return factories.ReviewFactory.build(album=factories.AlbumFactory(), publication=factories.PublicationFactory(),
                                         critic=None, **values)


@pytest.mark.parametrize(("rating", "field", "message"), BAD_RATINGS)
def test_full_clean_refuses(rating, field, message):
    review = bad_review(rating)
    with pytest.raises(ValidationError) as refused:
        review.full_clean()
    errors = refused.value.message_dict
    assert field in errors, errors
    assert message.lower() in " ".join(errors[field]).lower()


def test_full_clean_with_an_unknown_scale_is_a_validation_error():
    review = bad_review({"scale": "bogus", "rating_value": "8"})
    with pytest.raises(ValidationError) as refused:
        review.full_clean()
    assert "scale" in refused.value.message_dict


# The database's own guard, for code that skips validation ------------------------------------------


def refused_by_the_database(**changes):
    """Try to store the changes on a valid review without validation; True if the database refuses."""
    review = factories.ReviewFactory()
    try:
        with transaction.atomic():
            Review.objects.filter(pk=review.pk).update(**changes)
    except IntegrityError:
        return True
    return False


@pytest.mark.parametrize(
    "changes",
    [
        {"scale": Scale.STARS, "out_of": 5, "rating_value": Decimal("6")},
        {"scale": Scale.OUT_OF_10, "rating_value": Decimal("11")},
        {"scale": Scale.OUT_OF_100, "rating_value": Decimal("101")},
        {"scale": Scale.LETTER, "rating_value": None, "grade": "Z"},
        {"scale": Scale.OUT_OF_10, "rating_value": Decimal("-1")},
        {"scale": "bogus"},
        {"score": 101},
    ],
    ids=["6-of-5-stars", "11-of-10", "101-of-100", "grade-Z", "negative", "unknown-scale", "score-101"],
)
def test_check_constraints_refuse_out_of_scale_values(changes):
    assert refused_by_the_database(**changes)


def test_check_constraints_refuse_a_bulk_created_out_of_scale_review():
    review = factories.ReviewFactory.build(album=factories.AlbumFactory(), publication=factories.PublicationFactory(),
                                           critic=None, rating_value=Decimal("11"))
    with pytest.raises(IntegrityError), transaction.atomic():
        Review.objects.bulk_create([review])


def test_check_constraints_refuse_stars_without_a_scale_size():
    assert refused_by_the_database(scale=Scale.STARS, out_of=None, rating_value=Decimal("4"))


def test_a_valid_rating_passes_the_constraints():
    assert not refused_by_the_database(scale=Scale.STARS, out_of=5, rating_value=Decimal("4.5"))
