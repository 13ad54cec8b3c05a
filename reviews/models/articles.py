"""Long-form articles and their authors."""

from django.db import models
from django.db.models import F, Q

from catalog.models.base import (
    Publishable,
    PublishingQuerySet,
    SlugManager,
    SlugNaturalKeyMixin,
    SlugQuerySet,
    Status,
    choices_constraint,
)
from catalog.models.constraints import slug_constraint
from catalog.models.links import reverse_or_empty


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

    def add_view(self):
        """One more view for each article here, added in the database: concurrent views lose none."""
        return self.update(view_count=F("view_count") + 1)


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
