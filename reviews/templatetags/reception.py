"""The album page's reception and legacy, drawn here so the catalog app needs no knowledge of reviews."""

from django import template
from django.db.models import F

from catalog import structured_data as catalog_structured_data
from catalog.models.base import live_q
from catalog.preview import may_preview
from reviews import structured_data
from reviews.models import AlbumScore, Commentary, ListEntry, OutsideAggregate, Review
from reviews.models.scores import MINIMUM_FOR_VERDICT, band_for, round_half_up

register = template.Library()


def reception_of(context, album):
    """Reviews, our aggregate, outside aggregates, list places and commentary: five queries, whatever the data.

    Read once per page render, so the page's JSON-LD and its Reception section share the same rows.
    The album is the page's, visible to this reader (or previewed), so its own state is not asked
    again; a preview of its parts (?preview) adds the draft and scheduled reviews, marked.
    """
    key = ("album_reception", album.pk)
    if key not in context.render_context:
        preview = context.get("preview")
        reviews = Review.objects.filter(album=album)
        if not (preview and preview.parts and may_preview(context["request"].user, Review)):
            reviews = reviews.live()
        context.render_context[key] = {
            "album": album,
            "aggregate": AlbumScore.current(album),
            "reviews": list(reviews.select_related("publication", "critic").order_by("publication__name")),
            "outside_aggregates": OutsideAggregate.objects.filter(album=album),
            "list_entries": ListEntry.objects.filter(live_q("best_of_list__"), album=album)
            .select_related("best_of_list__publication")
            .order_by(F("rank").asc(nulls_last=True), "best_of_list__published", "best_of_list__title"),
            "commentary": Commentary.objects.filter(album=album).select_related("critic", "publication"),
            "minimum": MINIMUM_FOR_VERDICT,
        }
    return context.render_context[key]


@register.inclusion_tag("reviews/includes/reception.html", takes_context=True)
def album_reception(context, album):
    return dict(reception_of(context, album))  # a copy: the included template's context writes into it


@register.simple_tag(takes_context=True)
def album_json_ld(context, album):
    """The album as a schema.org MusicAlbum with our aggregate and its reviews, from the rows the page shows.

    The album must come from Album.objects.with_details(); no query beyond the reception's own.
    """
    request = context["request"]
    reception = reception_of(context, album)
    data = catalog_structured_data.music_album(album, request)
    reviews = [review for review in reception["reviews"] if review.is_published]  # none previewed
    data |= structured_data.album_reception(reception["aggregate"], reviews, request)
    return catalog_structured_data.script(data, request)


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
