"""RSS and Atom feeds of new reviews (all, of an album, of an artist's albums) and of new articles.

A review's item is dated when it was added to the site, not by the review's own date: a feed says what is
new here, and review dates are often known only to the month or the year ("2003"), which RSS and Atom
cannot express without inventing a day. The review's own date is given in the item's text instead.
A review added ahead of its publish-at time is new when it goes live, and is dated then.
"""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models.functions import Greatest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.text import Truncator

from catalog.fields import format_partial_date
from catalog.models import Album, Artist, Track
from catalog.models.links import is_page_address

from .models import Article, Review

FEED_LENGTH = 30


class PageItemsOnly:
    """Leaves out an item without a page address (a slug no URL can hold, catalog/models/links.py), which the feed
    would otherwise link to the bare site."""

    def add_item(self, title, link, *args, **kwargs):
        if is_page_address(link):
            super().add_item(title, link, *args, **kwargs)


class RssFeed(PageItemsOnly, Rss201rev2Feed):
    """RSS whose channel title and description are escaped once more: readers take them for HTML, as they take
    item titles (see item_title), and an album's or artist's feed names it there."""

    def add_root_elements(self, handler):
        self.feed = self.feed | {"title": escape(self.feed["title"]), "description": escape(self.feed["description"])}
        super().add_root_elements(handler)


class AtomFeed(PageItemsOnly, Atom1Feed):
    pass


class AtomMixin:
    """The same feed as Atom: its description becomes the subtitle, and titles are plain text there."""

    feed_type = AtomFeed

    def subtitle(self, obj):
        return self._get_dynamic_attr("description", obj)

    def item_title(self, item):
        return self.item_heading(item)


class ReviewsFeed(Feed):
    """What every review feed says about a review; subclasses choose the reviews."""

    feed_type = RssFeed

    def item_heading(self, review):
        critic = f" by {review.critic.name}" if review.critic else ""
        return f"{review.album.title}: {review.publication.name}{critic}"

    def item_title(self, review):
        # RSS readers take titles for HTML, so they are escaped once more (Django's own default does too).
        return escape(self.item_heading(review))

    def item_description(self, review):
        """The pull quote, the rating as published with our score, where and when, as HTML paragraphs."""
        published = format_partial_date(review.date)
        return format_html(
            "{}{}{}{}",
            format_html("<p>“{}”</p>", review.quote) if review.quote else "",
            format_html("<p>Rated {} ({} out of 100 on our scale).</p>", review.rating_display, review.score)
            if review.score is not None else mark_safe("<p>No rating, so not counted in the album’s score.</p>"),
            format_html("<p>Published in {}{}.</p>", review.publication.name, f", {published}" if published else ""),
            format_html('<p><a href="{}">Read the review</a></p>', review.url) if review.url else "",
        )

    def item_link(self, review):
        return review.get_absolute_url()

    def item_author_name(self, review):
        return review.critic.name if review.critic else review.publication.name

    def item_pubdate(self, review):
        return review.went_live

    def item_updateddate(self, review):
        return max(review.updated_at, review.went_live)

    def reviews(self):
        return (
            Review.objects.published().for_listing()
            .annotate(went_live=Greatest("created_at", "publish_at")).order_by("-went_live", "-pk")
        )


class LatestReviewsFeed(ReviewsFeed):
    title = f"{settings.SITE_NAME}: new reviews"
    description = "Critics’ reviews of soundtrack albums, as we add them: the rating as published and our score."

    def link(self):
        return reverse("reviews:review-list")

    def items(self):
        return self.reviews()[:FEED_LENGTH]


class LatestReviewsAtomFeed(AtomMixin, LatestReviewsFeed):
    pass


class AlbumReviewsFeed(ReviewsFeed):
    """Reviews of one published album; a draft or unknown album is a 404."""

    def get_object(self, request, slug):
        return get_object_or_404(Album.objects.published(), slug=slug)

    def title(self, album):
        return f"{settings.SITE_NAME}: reviews of {album.title}"

    def description(self, album):
        return f"Critics’ reviews of {album.title}, as we add them."

    def link(self, album):
        return album.get_absolute_url()

    def items(self, album):
        return self.reviews().filter(album=album)[:FEED_LENGTH]


class AlbumReviewsAtomFeed(AtomMixin, AlbumReviewsFeed):
    pass


class ArtistReviewsFeed(ReviewsFeed):
    """Reviews of the published albums an artist performs on, in person or with a group they belong to."""

    def get_object(self, request, slug):
        return get_object_or_404(Artist, slug=slug)

    def title(self, artist):
        return f"{settings.SITE_NAME}: reviews of albums with {artist.name}"

    def description(self, artist):
        return f"Critics’ reviews of the soundtrack albums {artist.name} performs on, as we add them."

    def link(self, artist):
        return artist.get_absolute_url()

    def items(self, artist):
        albums = Track.objects.by_artist(artist).values("album")
        return self.reviews().filter(album__in=albums)[:FEED_LENGTH]


class ArtistReviewsAtomFeed(AtomMixin, ArtistReviewsFeed):
    pass


class LatestArticlesFeed(Feed):
    feed_type = RssFeed
    title = f"{settings.SITE_NAME}: new articles"
    description = "Longer pieces about soundtrack albums, the films they come from and the people who made them."

    def link(self):
        return reverse("reviews:article-list")

    def items(self):
        return Article.objects.published().select_related("author").latest_first()[:FEED_LENGTH]

    def item_heading(self, article):
        return article.title

    def item_title(self, article):
        return escape(self.item_heading(article))

    def item_description(self, article):
        return format_html("<p>{}</p>", article.standfirst or Truncator(article.body).words(60))

    def item_author_name(self, article):
        return article.author.name

    def item_pubdate(self, article):
        return article.published_at

    def item_updateddate(self, article):
        # Articles record no time of change; Atom requires one, and publication is the last we know of.
        return article.published_at


class LatestArticlesAtomFeed(AtomMixin, LatestArticlesFeed):
    pass
