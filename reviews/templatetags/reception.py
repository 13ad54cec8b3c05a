"""The album page's reception and legacy, drawn here so the catalog app needs no knowledge of reviews."""

from django import template

from reviews.models import AlbumScore, Commentary, ListEntry, OutsideAggregate, Review
from reviews.models.scores import band_for

register = template.Library()


@register.inclusion_tag("reviews/includes/reception.html")
def album_reception(album):
    """Reviews, our aggregate, outside aggregates, list places and commentary: five queries, whatever the data."""
    reviews = list(Review.objects.published().filter(album=album).select_related("publication", "critic")
                   .order_by("publication__name"))
    return {
        "album": album,
        "aggregate": AlbumScore.objects.filter(album=album).first(),
        "reviews": reviews,
        "outside_aggregates": OutsideAggregate.objects.filter(album=album),
        "list_entries": ListEntry.objects.published().filter(album=album)
        .select_related("best_of_list__publication").order_by("best_of_list__published", "rank"),
        "commentary": Commentary.objects.filter(album=album).select_related("critic", "publication"),
    }


@register.inclusion_tag("reviews/includes/score_badge.html")
def score_badge(score, label=""):
    """A 0–100 score with its band in words, coloured by band (colour is never the only signal)."""
    band = band_for(score)
    return {"score": score, "band": band, "label": label}

