"""Filters and tags that format what critics say: score badges and the numbers around them."""

from django import template

from reviews.models.scores import band_for, round_half_up

register = template.Library()


@register.inclusion_tag("reviews/includes/score_badge.html")
def score_badge(score, label=""):
    """A 0–100 score with its band in words, coloured by band (colour is never the only signal)."""
    band = band_for(score)
    return {"score": score, "band": band, "label": label}


@register.filter
def rounded(value):
    """A number rounded half up to a whole number, as our scores are; None stays None."""
    return None if value is None or value == "" else round_half_up(value)


@register.filter
def absolute(value):
    """The size of a number without its sign: "4 points below", not "-4 points below"."""
    return None if value is None or value == "" else abs(value)


@register.filter
def minus(value, other):
    """value − other, for differences between numbers already rounded for display (so they add up)."""
    return None if value in (None, "") or other in (None, "") else value - other
