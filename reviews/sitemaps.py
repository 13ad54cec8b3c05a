"""The reviews app's pages in sitemap.xml: its indexes, publications, critics, published lists and articles,
and the album pages again, dated by their reception as well (the album page shows it)."""

from django.db.models import F

from catalog import sitemaps as catalog_sitemaps
from catalog.fields import partial_date_day
from catalog.models.base import live_q

from .models import Article, BestOfList, Critic, Publication
from .models.aggregates import current_score


class StaticViewSitemap(catalog_sitemaps.StaticViewSitemap):
    url_names = ["review-list", "publication-list", "critic-list", "list-list", "article-list", "methodology"]
    namespace = "reviews"


class AlbumSitemap(catalog_sitemaps.AlbumSitemap):
    """An album page changes with its reviews too: when an edit last changed its aggregate, or a scheduled review
    joined it (its current period's start, reviews/models/aggregates.py)."""

    def items(self):
        return super().items().alias(current_score=current_score("score_periods")).annotate(
            score_updated_at=F("score__updated_at"), score_since=F("current_score__starts_at")
        )

    def lastmod(self, album):
        return max(filter(None, [super().lastmod(album), album.score_updated_at, album.score_since]))


class ReviewerSitemap(catalog_sitemaps.ListingSitemap):
    """A publication's or critic's page lists their reviews."""

    relation = "reviews"
    published = live_q("reviews__") & live_q("reviews__album__")


class PublicationSitemap(ReviewerSitemap):
    model = Publication


class CriticSitemap(ReviewerSitemap):
    model = Critic


class BestOfListSitemap(catalog_sitemaps.Sitemap):
    """Published lists, dated by their publication when it is known to the day (lists record no time of change)."""

    def items(self):
        return BestOfList.objects.published().only("slug", "published").order_by("pk")

    def lastmod(self, best_of):
        return partial_date_day(best_of.published)


class ArticleSitemap(catalog_sitemaps.Sitemap):
    """Published articles, dated by their publication (articles record no time of change)."""

    def items(self):
        return Article.objects.published().only("slug", "published_at").order_by("pk")

    def lastmod(self, article):
        return article.published_at
