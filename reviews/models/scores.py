"""Ratings as published, the one conversion to 0–100, and the verdict bands.

The conversion is Metacritic's published method (see ../shared/reference/ and the
methodology page): stars and x-of-N scale linearly; letter grades use a fixed table.
"""

from decimal import ROUND_HALF_UP, Decimal

from django.db import models

LETTER_GRADES = {
    "A+": 100, "A": 100, "A-": 91,
    "B+": 83, "B": 75, "B-": 67,
    "C+": 58, "C": 50, "C-": 42,
    "D+": 33, "D": 25, "D-": 16,
    "F": 0,
}

# Fewer scored reviews than this and the aggregate gives no verdict.
MINIMUM_FOR_VERDICT = 4


class Scale(models.TextChoices):
    STARS = "stars", "Stars out of N"
    OUT_OF_10 = "10", "Out of 10"
    OUT_OF_100 = "100", "Out of 100"
    LETTER = "letter", "Letter grade"
    NONE = "none", "No rating"


class Band(models.TextChoices):
    ACCLAIM = "acclaim", "Universal acclaim"
    FAVORABLE = "favorable", "Generally favorable"
    MIXED = "mixed", "Mixed or average"
    UNFAVORABLE = "unfavorable", "Generally unfavorable"
    DISLIKE = "dislike", "Overwhelming dislike"


# (lowest, highest, band), best first: Metacritic's bands for music.
BANDS = [
    (81, 100, Band.ACCLAIM),
    (61, 80, Band.FAVORABLE),
    (40, 60, Band.MIXED),
    (20, 39, Band.UNFAVORABLE),
    (0, 19, Band.DISLIKE),
]


def band_for(score):
    """The verdict band of a 0–100 score, or None for no score."""
    if score is None:
        return None
    return next(band for low, _high, band in BANDS if score >= low)


def band_range(band):
    """(lowest, highest) score of a band."""
    return next((low, high) for low, high, each in BANDS if each == band)


def round_half_up(value):
    return int(Decimal(value).quantize(Decimal("1"), rounding=ROUND_HALF_UP))


def normalize(scale, value=None, out_of=None, grade=""):
    """The 0–100 score of a rating as published; None when the review has no rating."""
    if scale == Scale.STARS:
        return round_half_up(Decimal(value) * 100 / Decimal(out_of))
    if scale == Scale.OUT_OF_10:
        return round_half_up(Decimal(value) * 10)
    if scale == Scale.OUT_OF_100:
        return round_half_up(Decimal(value))
    if scale == Scale.LETTER:
        return LETTER_GRADES[grade]
    return None


def format_rating(scale, value=None, out_of=None, grade=""):
    """A rating as the publication printed it: '4.5/5 stars', '6.3/10', '83/100', 'C+'."""
    if scale == Scale.LETTER:
        return grade
    if scale == Scale.NONE or value is None:
        return ""
    number = f"{Decimal(value).normalize():f}"
    if scale == Scale.STARS:
        return f"{number}/{out_of} stars"
    return f"{number}/{scale}"


def describe_scale(scale, out_of=None):
    """A scale in words: 'stars out of 5', 'out of 10', 'letter grades', 'no rating'."""
    if scale == Scale.STARS:
        return f"stars out of {out_of}"
    return {Scale.OUT_OF_10: "out of 10", Scale.OUT_OF_100: "out of 100", Scale.LETTER: "letter grades"}.get(
        scale, "no rating"
    )
