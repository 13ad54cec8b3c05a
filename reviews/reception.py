"""What the catalog's pages show of reviews: the album page's Reception and Legacy sections, and the album list's
critics' verdict and review filters and its score orders.

The catalog imports nothing of reviews: it finds `extension` through ReviewsConfig.catalog_pages (reviews/apps.py)
and calls it as a PageExtension (catalog/views.py). Every album carries its current aggregate as `current_score`
(a ScorePeriod joined by the query, reviews/models/aggregates.py): the cards show it and the list sorts by it.
"""

import django_filters as filters
from django.db.models import F, Prefetch, Q

from catalog.models.base import live_q
from catalog.views import AlbumPart, may_preview

from . import structured_data
from .models import Band, Commentary, ListEntry, Review
from .models.aggregates import current_score
from .models.scores import MINIMUM_FOR_VERDICT, band_range


def with_current_score(albums):
    return albums.alias(current_score=current_score("score_periods")).select_related("current_score")


def filter_band(albums, name, value):
    low, high = band_range(value)
    return albums.filter(
        current_score__scored_count__gte=MINIMUM_FOR_VERDICT, current_score__score__gte=low,
        current_score__score__lte=high,
    )


def filter_has_reviews(albums, name, value):
    if value == "true":
        return albums.filter(current_score__review_count__gt=0)
    return albums.filter(Q(current_score__isnull=True) | Q(current_score__review_count=0))


class Reception:
    """The reviews app's PageExtension of the catalog's album page and album list."""

    template = "reviews/includes/reception.html"
    contents = [("reception", "Reception"), ("legacy", "Legacy")]

    def albums_for_list(self, albums):
        return with_current_score(albums)

    def album_filters(self):
        return {
            "band": filters.ChoiceFilter(
                field_name="band", choices=Band.choices, method=filter_band, label="Critics’ verdict",
                empty_label="Any verdict", help_text=f"Needs {MINIMUM_FOR_VERDICT} or more scored reviews.",
            ),
            "has_reviews": filters.ChoiceFilter(
                field_name="has_reviews", choices=[("true", "Reviewed"), ("false", "Not reviewed yet")],
                method=filter_has_reviews, label="Reviews", empty_label="Reviewed or not",
            ),
        }

    def album_orderings(self):
        return {
            "-score": ("Highest score", [F("current_score__score").desc(nulls_last=True), "title", "id"]),
            "-reviews": ("Most reviewed", [F("current_score__review_count").desc(nulls_last=True), "title", "id"]),
        }

    def albums_for_page(self, albums, request, previewing_parts):
        """The aggregate joined, then four queries: reviews, outside aggregates, list places and commentary.

        The album is the page's, visible to this reader (or previewed), so its own state is not asked again; a
        preview of its parts adds the draft and scheduled reviews, marked, for staff who may see reviews.
        """
        reviews = Review.objects.select_related("publication", "critic").order_by("publication__name")
        if not (previewing_parts and may_preview(request.user, Review)):
            reviews = reviews.live()
        list_entries = (
            ListEntry.objects.filter(live_q("best_of_list__")).select_related("best_of_list__publication")
            .order_by(F("rank").asc(nulls_last=True), "best_of_list__published", "best_of_list__title")
        )
        return with_current_score(albums).prefetch_related(
            Prefetch("reviews", queryset=reviews, to_attr="reception_reviews"),
            "outside_aggregates",
            Prefetch("list_entries", queryset=list_entries, to_attr="live_list_entries"),
            Prefetch("commentary", queryset=Commentary.objects.select_related("critic", "publication")),
        )

    def album_page(self, album, request):
        aggregate = getattr(album, "current_score", None)  # None until the album has reviews
        reviews = album.reception_reviews
        return AlbumPart(
            template=self.template,
            contents=self.contents,
            context={
                "aggregate": aggregate,
                "reviews": reviews,
                "outside_aggregates": album.outside_aggregates.all(),
                "list_entries": album.live_list_entries,
                "commentary": album.commentary.all(),
                "minimum": MINIMUM_FOR_VERDICT,
            },
            # What search engines read is what visitors see: no previewed review.
            json_ld=structured_data.album_reception(
                aggregate, [review for review in reviews if review.is_published], request
            ),
        )


extension = Reception()
