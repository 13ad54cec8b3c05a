"""Reviews, lists and articles in the admin; an album's reception is also edited on the album's page.

Built on the catalog's admin (catalog/admin/): its base classes, publishing rule, history and imports. The
album page learns of the reception through catalog.admin.album_page, filled in at the end of this module.
history.py registers the reviews app's models with the history, imports.py its files, quality.py its checks
in the data-quality report.
"""

from django.contrib import admin
from django.utils.html import format_html

from catalog.admin import album_page
from catalog.admin.base import ModelAdmin, StackedInline, TabularInline
from catalog.admin.conflicts import EditConflictMixin
from catalog.admin.history import HistoryAdmin
from catalog.admin.imports import ImportExportAdmin
from catalog.admin.inlines import CompactInline
from catalog.admin.publishing import PublicationStateFilter, PublishingAdmin, PublishRuleAdmin, PublishRuleInline

from ..models import (
    AlbumScore,
    Article,
    Author,
    BestOfList,
    Commentary,
    Critic,
    ListEntry,
    OutsideAggregate,
    Publication,
    Review,
)
from ..models.scores import BANDS
from . import history, quality  # noqa: F401 - register the history's models before the admin classes exist
from .imports import ListEntryResource, ReviewResource


class ReviewInline(PublishRuleInline, CompactInline, StackedInline):
    model = Review
    fields = [
        ("publication", "critic", "date", "status", "publish_at"),
        ("scale", "rating_value", "out_of", "grade", "score"),
        "quote",
        "url",
    ]
    readonly_fields = ["score"]
    autocomplete_fields = ["publication", "critic"]


class OutsideAggregateInline(CompactInline, TabularInline):
    model = OutsideAggregate


class CommentaryInline(CompactInline, StackedInline):
    model = Commentary
    fields = [("position", "speaker", "speaker_role"), ("critic", "publication", "date"), "summary", "quote", "url"]
    autocomplete_fields = ["critic", "publication"]


class ListEntryForAlbumInline(PublishRuleInline, CompactInline, TabularInline):
    model = ListEntry
    publishable = "best_of_list"
    fields = ["best_of_list", "rank", "blurb"]
    autocomplete_fields = ["best_of_list"]
    verbose_name = "place in a best-of list"
    verbose_name_plural = "places in best-of lists"


class ScoreBandFilter(admin.SimpleListFilter):
    title = "score band"
    parameter_name = "band"

    def lookups(self, request, model_admin):
        return [(band.value, band.label) for _low, _high, band in BANDS] + [("none", "No rating")]

    def queryset(self, request, queryset):
        if self.value() == "none":
            return queryset.filter(score__isnull=True)
        for low, high, band in BANDS:
            if self.value() == band.value:
                return queryset.filter(score__gte=low, score__lte=high)
        return queryset


@admin.register(Review)
class ReviewAdmin(ImportExportAdmin, PublishingAdmin, EditConflictMixin, HistoryAdmin):
    resource_classes = [ReviewResource]
    list_display = ["album", "publication", "critic", "date", "rating", "score", "state"]
    list_filter = [PublicationStateFilter, "publication", "scale", ScoreBandFilter]
    list_select_related = ["album", "publication", "critic"]
    search_fields = ["album__title", "publication__name", "critic__name", "quote"]
    autocomplete_fields = ["album", "publication", "critic"]
    readonly_fields = ["score", "created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["album", "publication", "critic", "date", ("status", "publish_at"), "url"]}),
        ("Rating as published", {
            "fields": [("scale", "rating_value", "out_of", "grade"), "score"],
            "description": "Pick the scale the review used and enter its rating as printed; the 0–100 "
            "score is derived from it.",
        }),
        ("Pull quote", {"fields": ["quote"]}),
        ("Advanced", {"classes": ["collapse"], "fields": ["created_at", "updated_at"]}),
    ]

    @admin.display(description="Rating")
    def rating(self, review):
        return review.rating_display or "—"

    def view_on_site(self, review):
        """The review on its album's page; one not live yet is shown there to staff with ?preview, marked."""
        if review.is_published:
            return review.get_absolute_url()
        return f"{review.album.get_absolute_url()}?preview#review-{review.pk}"


@admin.register(Publication)
class PublicationAdmin(ModelAdmin):
    list_display = ["name", "kind", "url"]
    list_filter = ["kind"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Critic)
class CriticAdmin(ModelAdmin):
    list_display = ["name", "outlets"]
    search_fields = ["name"]
    list_filter = ["publications"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["publications"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("publications")

    @admin.display(description="Writes for")
    def outlets(self, critic):
        return ", ".join(publication.name for publication in critic.publications.all()) or "—"


class ListEntryInline(CompactInline, TabularInline):
    model = ListEntry
    fields = ["rank", "album", "blurb"]
    autocomplete_fields = ["album"]


@admin.register(BestOfList)
class BestOfListAdmin(PublishingAdmin, EditConflictMixin, HistoryAdmin):
    list_display = ["title", "publication", "published", "size", "is_ranked", "state"]
    list_filter = [PublicationStateFilter, "is_ranked", "publication"]
    list_select_related = ["publication"]
    search_fields = ["title", "publication__name"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["publication"]
    inlines = [ListEntryInline]


@admin.register(ListEntry)
class ListEntryAdmin(ImportExportAdmin, PublishRuleAdmin, ModelAdmin):
    publishable = "best_of_list"
    resource_classes = [ListEntryResource]
    list_display = ["album", "best_of_list", "rank"]
    list_select_related = ["album", "best_of_list__publication"]
    search_fields = ["album__title", "best_of_list__title"]
    autocomplete_fields = ["album", "best_of_list"]


@admin.register(Commentary)
class CommentaryAdmin(PublishRuleAdmin, ModelAdmin):
    publishable = "album"
    list_display = ["speaker", "speaker_role", "album"]
    list_select_related = ["album"]
    search_fields = ["speaker", "summary", "album__title"]
    autocomplete_fields = ["album", "critic", "publication"]


@admin.register(OutsideAggregate)
class OutsideAggregateAdmin(PublishRuleAdmin, ModelAdmin):
    publishable = "album"
    list_display = ["album", "source", "score", "review_count", "date"]
    list_filter = ["source"]
    list_select_related = ["album"]
    search_fields = ["album__title", "source"]
    autocomplete_fields = ["album"]


@admin.register(Author)
class AuthorAdmin(ModelAdmin):
    list_display = ["name"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Article)
class ArticleAdmin(PublishingAdmin, EditConflictMixin, HistoryAdmin):
    list_display = ["title", "author", "state", "view_count", "preview"]
    list_filter = [PublicationStateFilter, "author"]
    list_select_related = ["author"]
    search_fields = ["title", "standfirst", "body", "author__name"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["author", "albums", "artists"]
    readonly_fields = ["view_count", "preview"]
    fields = ["title", "slug", "author", "status", "published_at", "standfirst", "body", "albums", "artists",
              "view_count", "preview"]

    @admin.display(description="Preview")
    def preview(self, article):
        if not article.pk:
            return "Save first to preview."
        return format_html('<a href="{}" target="_blank" rel="noopener">Open the page</a>', article.get_absolute_url())


@admin.display(description="Our aggregate")
def aggregate(album):
    score = AlbumScore.objects.filter(album=album).first() if album.pk else None
    if score is None or score.score is None:
        return "No scored reviews yet."
    verdict = score.band.label if score.band else "not enough reviews yet for a verdict"
    return f"{score.score} ({verdict}), the mean of {score.scored_count} scored review(s) "\
           f"out of {score.review_count} published; computed from the reviews below."


# The album page is the editors' hub: its reception is edited there too (its history: history.py).
album_page.add(
    inlines=[ReviewInline, OutsideAggregateInline, ListEntryForAlbumInline, CommentaryInline],
    fieldset=("Reception", {"fields": [aggregate]}),
)
