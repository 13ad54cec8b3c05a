"""Public pages about what critics say. Queries come from the models' QuerySets."""

from django.db.models import Count, Prefetch
from django.views.generic import DetailView, ListView, TemplateView
from django_filters.views import FilterView

from catalog.models import Album
from catalog.models.base import live_q
from catalog.preview import PreviewMixin
from catalog.views import FriendlyPaginationMixin

from .filters import ReviewFilter
from .models import AlbumScore, Article, BestOfList, Critic, ListEntry, Publication
from .models.scores import BANDS, LETTER_GRADES, MINIMUM_FOR_VERDICT, describe_scale


class ReviewListView(FriendlyPaginationMixin, FilterView):
    """Published reviews, filtered and ordered from the query string (reviews/filters.py)."""

    filterset_class = ReviewFilter
    paginate_by = 30
    template_name = "reviews/review_list.html"


class PublicationListView(FriendlyPaginationMixin, ListView):
    paginate_by = 60
    queryset = Publication.objects.annotate(
        review_count=Count("reviews", filter=live_q("reviews__") & live_q("reviews__album__"))
    ).order_by("name")


class PublicationDetailView(FriendlyPaginationMixin, DetailView):
    model = Publication
    paginate_by = 30

    def get_context_data(self, **kwargs):
        publication = self.object
        reviews = publication.reviews.published().for_listing().latest_first()
        paginator, page, review_list, is_paginated = self.paginate_queryset(reviews, self.paginate_by)
        scales = publication.reviews.published().order_by().values_list("scale", "out_of").distinct()
        return super().get_context_data(
            reviews=review_list, page_obj=page, paginator=paginator, is_paginated=is_paginated,
            scales=[describe_scale(scale, out_of) for scale, out_of in scales],
            critics=publication.critics.all(),
            lists=publication.lists.published(),
            **kwargs,
        )


class CriticListView(FriendlyPaginationMixin, ListView):
    paginate_by = 60
    queryset = Critic.objects.prefetch_related("publications")


class CriticDetailView(FriendlyPaginationMixin, DetailView):
    model = Critic
    paginate_by = 30

    def get_context_data(self, **kwargs):
        AlbumScore.refresh_due()  # The consensus is read from the stored aggregates.
        reviews = self.object.reviews.published()
        paginator, page, review_list, is_paginated = self.paginate_queryset(
            reviews.for_listing().select_related("album__score").latest_first(), self.paginate_by
        )
        return super().get_context_data(
            reviews=review_list, page_obj=page, paginator=paginator, is_paginated=is_paginated,
            publications=self.object.publications.all(),
            consensus=reviews.against_consensus(),
            **kwargs,
        )


class BestOfListListView(FriendlyPaginationMixin, ListView):
    paginate_by = 30
    template_name = "reviews/bestoflist_list.html"
    queryset = BestOfList.objects.published().select_related("publication").annotate(
        catalog_entries=Count("entries", filter=live_q("entries__album__"))
    ).order_by("-published", "title")


class BestOfListDetailView(PreviewMixin, DetailView):
    queryset = BestOfList.objects.select_related("publication")  # Published only, except to staff previewing.
    template_name = "reviews/bestoflist_detail.html"

    def get_context_data(self, **kwargs):
        entries = (  # The list itself is visible to this reader: its entries whose album is.
            ListEntry.objects.filter(live_q("album__"), best_of_list=self.object)
            .select_related("album__label", "album__film").prefetch_related("album__genres")
            .order_by("rank", "album__title")
        )
        return super().get_context_data(entries=entries, **kwargs)


class ArticleListView(FriendlyPaginationMixin, ListView):
    paginate_by = 20
    queryset = Article.objects.published().select_related("author").latest_first()


class ArticleDetailView(PreviewMixin, DetailView):
    """An article, previewed by staff before it is published; visitors' views are counted."""

    queryset = Article.objects.select_related("author").prefetch_related(
        Prefetch("albums", queryset=Album.objects.published().for_cards()), "artists"
    )

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        # HEAD comes from link checkers and uptime probes, not readers; a preview has no reader yet.
        if request.method == "GET" and not self.preview:
            self.object.count_view(request)
        return self.render_to_response(self.get_context_data(object=self.object))


class MethodologyView(TemplateView):
    template_name = "reviews/methodology.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            letter_grades=LETTER_GRADES.items(), bands=BANDS, minimum=MINIMUM_FOR_VERDICT, **kwargs
        )
