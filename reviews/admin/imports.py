"""Reviews and best-of list entries as files (django-import-export); related objects by slug."""

from import_export.fields import Field
from import_export.widgets import CharWidget

from catalog.admin.imports import CatalogResource, DecimalWidget, IntegerWidget, SlugWidget
from catalog.models import Album, Status

from ..models import BestOfList, Critic, ListEntry, Publication, Review
from ..models.scores import Scale

REVIEW_COLUMNS = (
    "album", "publication", "critic", "date", "scale", "rating", "out_of", "grade", "quote", "url", "status",
)


class ReviewResource(CatalogResource):
    """One row per review: album and publication slugs say which (a publication reviews an album once).

    `scale` is none, stars, 10, 100 or letter; `status` draft or published, draft when empty or left out.
    Without reviews.publish_review, a row that publishes a review or changes a published one is an error.
    """

    publishable = ""

    album = Field("album", "album", SlugWidget(Album))
    publication = Field("publication", "publication", SlugWidget(Publication))
    critic = Field("critic", "critic", SlugWidget(Critic, required=False))
    date = Field("date", "date", CharWidget())
    scale = Field("scale", "scale", CharWidget(), default=Scale.NONE)
    rating = Field("rating_value", "rating", DecimalWidget())
    out_of = Field("out_of", "out_of", IntegerWidget())
    grade = Field("grade", "grade", CharWidget())
    quote = Field("quote", "quote", CharWidget())
    url = Field("url", "url", CharWidget())
    status = Field("status", "status", CharWidget(), default=Status.DRAFT)

    class Meta:
        model = Review
        fields = export_order = import_order = REVIEW_COLUMNS
        import_id_fields = ("album", "publication")

    def filter_export(self, queryset, **kwargs):
        return queryset.select_related("album", "publication", "critic")

    def init_instance(self, row=None):
        review = super().init_instance(row)
        review.status = Status.DRAFT  # A file without a status column adds drafts, never published reviews.
        return review


class ListEntryResource(CatalogResource):
    """One row per album in a best-of list: list and album slugs say which. Rank is empty in an unranked list."""

    best_of_list = Field("best_of_list", "list", SlugWidget(BestOfList))
    album = Field("album", "album", SlugWidget(Album))
    rank = Field("rank", "rank", IntegerWidget())
    blurb = Field("blurb", "blurb", CharWidget())

    publishable = "best_of_list"

    class Meta:
        model = ListEntry
        fields = export_order = import_order = ("best_of_list", "album", "rank", "blurb")
        import_id_fields = ("best_of_list", "album")

    def filter_export(self, queryset, **kwargs):
        return queryset.select_related("best_of_list", "album")
