"""Best-of lists and the places albums take in them, and commentary on an album's legacy."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from catalog.fields import PartialDateField, WebURLField, partial_date_year
from catalog.models.base import (
    Publishable,
    PublishingQuerySet,
    SlugQuerySet,
    Status,
    choices_constraint,
    live_q,
    publish_at_field,
    published_has_time,
)
from catalog.models.constraints import partial_date_constraint, slug_constraint
from catalog.models.links import reverse_or_empty


class BestOfListQuerySet(PublishingQuerySet, SlugQuerySet):
    pass


class BestOfList(Publishable):
    publication = models.ForeignKey("reviews.Publication", on_delete=models.PROTECT, related_name="lists")
    title = models.CharField(max_length=300, help_text="As published: 'The 25 Greatest Soundtracks of All Time'.")
    slug = models.SlugField(max_length=200, unique=True)
    published = PartialDateField(help_text="When the list appeared: YYYY, YYYY-MM or YYYY-MM-DD, if known.")
    size = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="How many entries the whole list has, in our catalog or not."
    )
    is_ranked = models.BooleanField("ranked", default=True, help_text="Untick for a list in no particular order.")
    url = WebURLField("URL", max_length=500, blank=True)
    description = models.TextField(blank=True)
    status = models.CharField(max_length=10, choices=Status, default=Status.PUBLISHED)
    publish_at = publish_at_field()
    updated_at = models.DateTimeField(auto_now=True)  # Also the admin's edit version (catalog/admin_conflicts.py).

    objects = BestOfListQuerySet.as_manager()

    class Meta:
        ordering = ["-published", "title"]
        verbose_name = "best-of list"
        indexes = [models.Index(fields=["status", "-published"]), models.Index(fields=["status", "publish_at"])]
        permissions = [("publish_bestoflist", "Can publish, schedule and unpublish best-of lists")]
        constraints = [
            choices_constraint("status", Status, "best_of_list_status_valid"),
            published_has_time("best_of_list_published_has_time"),
            models.CheckConstraint(condition=Q(size__isnull=True) | Q(size__gte=1), name="best_of_list_size_positive"),
            slug_constraint("best_of_list_slug_valid"),
            partial_date_constraint("published", "best_of_list_published_valid"),
        ]

    def __str__(self):
        return f"{self.publication.name}: {self.title}"

    def get_absolute_url(self):
        return reverse_or_empty("reviews:list-detail", kwargs={"slug": self.slug})

    def natural_key(self):
        return (self.slug,)

    natural_key.dependencies = ["reviews.publication"]

    @property
    def year(self):
        return partial_date_year(self.published)


class ListEntryQuerySet(models.QuerySet):
    def get_by_natural_key(self, list_slug, album_slug):
        return self.get(best_of_list__slug=list_slug, album__slug=album_slug)

    def published(self):
        return self.filter(live_q("best_of_list__"), live_q("album__"))


class ListEntry(models.Model):
    best_of_list = models.ForeignKey(BestOfList, on_delete=models.CASCADE, related_name="entries")
    album = models.ForeignKey("catalog.Album", on_delete=models.CASCADE, related_name="list_entries")
    rank = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Its place in a ranked list (1 is the top). Empty for unranked lists."
    )
    blurb = models.CharField(max_length=500, blank=True, help_text="A line on why it is there, in our words.")

    objects = ListEntryQuerySet.as_manager()

    class Meta:
        ordering = ["rank", "id"]
        verbose_name_plural = "list entries"
        constraints = [
            models.UniqueConstraint(fields=["best_of_list", "rank"], name="list_entry_rank_unique"),
            models.UniqueConstraint(fields=["best_of_list", "album"], name="list_entry_album_once"),
            models.CheckConstraint(condition=Q(rank__isnull=True) | Q(rank__gte=1), name="list_entry_rank_positive"),
        ]

    def __str__(self):
        return f"#{self.rank} {self.album.title}" if self.rank else self.album.title

    def natural_key(self):
        return (self.best_of_list.slug, self.album.slug)

    natural_key.dependencies = ["reviews.bestoflist", "catalog.album"]

    def clean(self):
        if not self.best_of_list_id and not ListEntry.best_of_list.is_cached(self):  # an unsaved list on its add page
            return
        ranked = self.best_of_list.is_ranked
        if ranked and self.rank is None:
            raise ValidationError({"rank": "This list is ranked: give the album's place in it."})
        if not ranked and self.rank is not None:
            raise ValidationError({"rank": "This list is unranked: leave the rank empty."})
        size = self.best_of_list.size
        if self.rank and size and self.rank > size:
            raise ValidationError({"rank": f"The list has {size} entries, so a rank goes from 1 to {size}."})


class CommentaryQuerySet(models.QuerySet):
    def get_by_natural_key(self, album_slug, position):
        return self.get(album__slug=album_slug, position=position)


class Commentary(models.Model):
    """A remark on the album's legacy or influence that is neither a review nor a list."""

    album = models.ForeignKey("catalog.Album", on_delete=models.CASCADE, related_name="commentary")
    speaker = models.CharField(max_length=200, help_text="Who said it, e.g. 'Frank Mojica'.")
    speaker_role = models.CharField(
        max_length=200, blank=True, help_text="Why they matter here, e.g. 'head of the record label Sonic Cathedral'."
    )
    critic = models.ForeignKey(
        "reviews.Critic", on_delete=models.SET_NULL, null=True, blank=True, related_name="commentary",
        help_text="When the speaker is a critic we list, link them.",
    )
    publication = models.ForeignKey(
        "reviews.Publication", on_delete=models.SET_NULL, null=True, blank=True, related_name="commentary"
    )
    summary = models.TextField(help_text="What they said, in our own words.")
    quote = models.CharField(
        max_length=300, blank=True, help_text="Optionally a short quotation, word for word, without quotation marks."
    )
    url = WebURLField("URL", max_length=500, blank=True)
    date = PartialDateField()
    position = models.PositiveSmallIntegerField(default=1)

    objects = CommentaryQuerySet.as_manager()

    class Meta:
        ordering = ["position", "id"]
        verbose_name_plural = "commentary"
        constraints = [
            models.UniqueConstraint(fields=["album", "position"], name="commentary_position_unique"),
            partial_date_constraint("date", "commentary_date_valid"),
        ]

    def __str__(self):
        return f"{self.speaker} on {self.album.title}"

    def natural_key(self):
        return (self.album.slug, self.position)

    natural_key.dependencies = ["catalog.album", "reviews.critic", "reviews.publication"]
