"""Long-form articles and their authors."""

import re

from django.db import models
from django.db.models import F, Q

from catalog.constraints import slug_constraint
from catalog.links import reverse_or_empty
from catalog.models.base import (
    Publishable,
    PublishingQuerySet,
    SlugManager,
    SlugNaturalKeyMixin,
    SlugQuerySet,
    Status,
    choices_constraint,
)

# Crawlers that say what they are; counting them would make the view count meaningless.
BOT_USER_AGENT = re.compile(
    r"bot|crawl|spider|slurp|preview|fetch|monitor|headless|curl|wget|python-requests|httpx", re.IGNORECASE
)


class Author(SlugNaturalKeyMixin, models.Model):
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    biography = models.TextField(blank=True)

    objects = SlugManager()

    class Meta:
        ordering = ["name"]
        constraints = [slug_constraint("author_slug_valid")]

    def __str__(self):
        return self.name


class ArticleQuerySet(PublishingQuerySet, SlugQuerySet):
    publish_field = "published_at"

    def latest_first(self):
        return self.order_by("-published_at", "-id")


class Article(SlugNaturalKeyMixin, Publishable):
    title = models.CharField(max_length=300)
    slug = models.SlugField(max_length=200, unique=True)
    author = models.ForeignKey(Author, on_delete=models.PROTECT, related_name="articles")
    standfirst = models.CharField(max_length=500, blank=True, help_text="The one- or two-sentence introduction.")
    body = models.TextField(help_text="Plain text; a blank line starts a new paragraph.")
    published_at = models.DateTimeField(
        null=True, blank=True,
        help_text="When visitors first see it. Empty means now, on publishing; a future time schedules it.",
    )
    status = models.CharField(max_length=10, choices=Status, default=Status.DRAFT)
    albums = models.ManyToManyField("catalog.Album", blank=True, related_name="articles")
    artists = models.ManyToManyField("catalog.Artist", blank=True, related_name="articles")
    view_count = models.PositiveIntegerField(default=0, editable=False)
    # Moved by every save but not by a view count: also the admin's edit version (catalog/admin_conflicts.py).
    updated_at = models.DateTimeField(auto_now=True)

    objects = ArticleQuerySet.as_manager()
    publish_field = "published_at"

    class Meta:
        ordering = ["-published_at", "-id"]
        indexes = [models.Index(fields=["status", "-published_at"])]
        permissions = [("publish_article", "Can publish, schedule and unpublish articles")]
        constraints = [
            choices_constraint("status", Status, "article_status_valid"),
            models.CheckConstraint(
                condition=Q(status=Status.DRAFT) | Q(published_at__isnull=False), name="article_published_has_date"
            ),
            slug_constraint("article_slug_valid"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse_or_empty("reviews:article-detail", kwargs={"slug": self.slug})

    def count_view(self, request):
        """Add one view, atomically in the database, unless staff or a self-declared bot is looking."""
        if request.user.is_staff or BOT_USER_AGENT.search(request.headers.get("User-Agent", "")):
            return False
        Article.objects.filter(pk=self.pk).update(view_count=F("view_count") + 1)
        self.view_count += 1  # What the visitor sees; the database holds the true total.
        return True
