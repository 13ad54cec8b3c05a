"""Public pages about what critics say. Queries come from the models' QuerySets."""

from django.db.models import Count, Prefetch, Q
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.views.generic import DetailView, ListView, TemplateView
from django_filters.views import FilterView

from catalog.models import Album, Status
from catalog.views import FriendlyPaginationMixin

from .filters import ReviewFilter
from .models import Article, BestOfList, Critic, ListEntry, Publication
from .models.scores import BANDS, LETTER_GRADES, MINIMUM_FOR_VERDICT, describe_scale


class ReviewListView(FriendlyPaginationMixin, FilterView):
    """Published reviews, filtered and ordered from the query string (reviews/filters.py)."""

    filterset_class = ReviewFilter
    paginate_by = 30
    template_name = "reviews/review_list.html"


class PublicationListView(FriendlyPaginationMixin, ListView):
    paginate_by = 60
    queryset = Publication.objects.annotate(
        review_count=Count(
            "reviews", filter=Q(reviews__status=Status.PUBLISHED, reviews__album__status=Status.PUBLISHED)
        )
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
        catalog_entries=Count("entries", filter=Q(entries__album__status=Status.PUBLISHED))
    ).order_by("-published", "title")


class BestOfListDetailView(DetailView):
    queryset = BestOfList.objects.published().select_related("publication")
    template_name = "reviews/bestoflist_detail.html"

    def get_context_data(self, **kwargs):
        entries = (
            ListEntry.objects.published().filter(best_of_list=self.object)
            .select_related("album__label", "album__film").prefetch_related("album__genres")
            .order_by("rank", "album__title")
        )
        return super().get_context_data(entries=entries, **kwargs)


class ArticleListView(FriendlyPaginationMixin, ListView):
    paginate_by = 20
    queryset = Article.objects.published().select_related("author").latest_first()


class ArticleDetailView(DetailView):
    """An article; staff may preview drafts (marked as such), and visitors' views are counted."""

    def get_object(self, queryset=None):
        articles = Article.objects.select_related("author").prefetch_related(
            Prefetch("albums", queryset=Album.objects.published().for_cards()), "artists"
        )
        if not self.request.user.is_staff:
            articles = articles.published()
        return get_object_or_404(articles, slug=self.kwargs["slug"])

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        if request.method == "GET":  # HEAD comes from link checkers and uptime probes, not readers.
            self.object.count_view(request)
        return self.render_to_response(self.get_context_data(object=self.object))

    def get_context_data(self, **kwargs):
        # Only staff get here for a draft or an article scheduled for later: the page must say so.
        article = self.object
        is_preview = article.status != Status.PUBLISHED or article.published_at > timezone.now()
        return super().get_context_data(is_preview=is_preview, **kwargs)


class MethodologyView(TemplateView):
    template_name = "reviews/methodology.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            letter_grades=LETTER_GRADES.items(), bands=BANDS, minimum=MINIMUM_FOR_VERDICT, **kwargs
        )
