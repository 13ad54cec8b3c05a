"""Public pages about what critics say. Queries come from the models' QuerySets."""

import datetime
import re

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.crypto import salted_hmac
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from django.views.generic import DetailView, ListView, TemplateView
from django_filters.views import FilterView

from catalog.models import Album
from catalog.models.base import live_q
from catalog.views import FriendlyPaginationMixin, PreviewMixin, StructuredDataMixin

from . import structured_data
from .filters import ReviewFilter
from .models import Article, BestOfList, Critic, ListEntry, Publication
from .models.scores import BANDS, LETTER_GRADES, MINIMUM_FOR_VERDICT, describe_scale

# Crawlers that say what they are; counting them would make the view count meaningless.
BOT_USER_AGENT = re.compile(
    r"bot|crawl|spider|slurp|preview|fetch|monitor|headless|curl|wget|python-requests|httpx", re.IGNORECASE
)


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


class PublicationDetailView(FriendlyPaginationMixin, StructuredDataMixin, DetailView):
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

    def get_structured_data(self, context):
        return structured_data.publication(self.object, self.request)


class CriticListView(FriendlyPaginationMixin, ListView):
    paginate_by = 60
    queryset = Critic.objects.prefetch_related("publications")


class CriticDetailView(FriendlyPaginationMixin, StructuredDataMixin, DetailView):
    model = Critic
    paginate_by = 30

    def get_context_data(self, **kwargs):
        reviews = self.object.reviews.published()
        paginator, page, review_list, is_paginated = self.paginate_queryset(
            reviews.for_listing().with_album_score().latest_first(), self.paginate_by
        )
        return super().get_context_data(
            reviews=review_list, page_obj=page, paginator=paginator, is_paginated=is_paginated,
            publications=self.object.publications.all(),
            consensus=reviews.against_consensus(),
            **kwargs,
        )

    def get_structured_data(self, context):
        return structured_data.critic(self.object, context["publications"], self.request)


class BestOfListListView(FriendlyPaginationMixin, ListView):
    paginate_by = 30
    template_name = "reviews/bestoflist_list.html"
    queryset = BestOfList.objects.published().select_related("publication").annotate(
        catalog_entries=Count("entries", filter=live_q("entries__album__"))
    ).order_by("-published", "title")


class BestOfListDetailView(PreviewMixin, StructuredDataMixin, DetailView):
    queryset = BestOfList.objects.select_related("publication")  # Published only, except to staff previewing.
    template_name = "reviews/bestoflist_detail.html"

    def get_context_data(self, **kwargs):
        entries = (  # The list itself is visible to this reader: its entries whose album is.
            ListEntry.objects.filter(live_q("album__"), best_of_list=self.object)
            .select_related("album__label", "album__film").prefetch_related("album__genres")
            .order_by("rank", "album__title")
        )
        return super().get_context_data(entries=entries, **kwargs)

    def get_structured_data(self, context):
        return structured_data.best_of_list(self.object, context["entries"], self.request)


class ArticleListView(FriendlyPaginationMixin, ListView):
    paginate_by = 20
    queryset = Article.objects.published().select_related("author").latest_first()


class ArticleDetailView(PreviewMixin, StructuredDataMixin, DetailView):
    """An article, previewed by staff before it is published. Its page writes nothing: the page's own
    script (static/js/article-view.js) records the view with a POST to record_article_view."""

    queryset = Article.objects.select_related("author").prefetch_related(
        Prefetch("albums", queryset=Album.objects.published().for_cards()), "artists"
    )

    def get_structured_data(self, context):
        return structured_data.article(self.object, self.request)


def is_reader(request):
    """Neither staff nor a crawler that says what it is."""
    return not request.user.is_staff and not BOT_USER_AGENT.search(request.headers.get("User-Agent", ""))


def first_view_today(request, article_id):
    """True the first time today that this visitor (address and browser) reads this article, False after.

    The cache holds a keyed hash, never the address: salted with SECRET_KEY, it cannot be reversed by
    trying every address. cache.add() is atomic, so concurrent beacons of one visitor count once.
    """
    now = timezone.now()
    visitor = salted_hmac(
        "reviews.article-view",
        "\n".join([request.META.get("REMOTE_ADDR", ""), request.headers.get("User-Agent", ""), now.date().isoformat(),
                   str(article_id)]),
        algorithm="sha256",
    ).hexdigest()
    midnight = datetime.datetime.combine(now.date() + datetime.timedelta(days=1), datetime.time(), tzinfo=datetime.UTC)
    return cache.add(f"article-view:{visitor}", True, timeout=int((midnight - now).total_seconds()) + 1)


def is_same_origin(request):
    """A POST sent by one of our own pages: its Origin is the site's, and the browser says same-origin.

    Browsers send Origin with every POST and Sec-Fetch-Site with every request (the latter missing only in
    old ones). A request without Origin did not come from a page of ours.
    """
    origin = request.headers.get("Origin")
    own = {f"{request.scheme}://{request.get_host()}", *settings.CSRF_TRUSTED_ORIGINS}
    return origin in own and request.headers.get("Sec-Fetch-Site", "same-origin") == "same-origin"


# CSRF-exempt: navigator.sendBeacon cannot send a CSRF token, and the article page sets no cookie to carry
# one. What a forged request could do is add one view, once per visitor and day; is_same_origin() refuses
# a post from another site's page all the same.
@csrf_exempt
@require_POST
def record_article_view(request, slug):
    """The article page's beacon: one view per visitor, article and day; never staff's or a crawler's. 204."""
    if not is_same_origin(request):
        raise PermissionDenied("Views are recorded only from the site's own pages.")
    article = get_object_or_404(Article.objects.published().only("pk"), slug=slug)
    if is_reader(request) and first_view_today(request, article.pk):
        Article.objects.filter(pk=article.pk).add_view()
    response = HttpResponse(status=204)
    patch_cache_control(response, no_store=True)
    return response


class MethodologyView(TemplateView):
    template_name = "reviews/methodology.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            letter_grades=LETTER_GRADES.items(), bands=BANDS, minimum=MINIMUM_FOR_VERDICT, **kwargs
        )
