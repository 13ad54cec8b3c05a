"""Publications, critics, their reviews, and the scores others give an album (ours are in aggregates.py)."""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Avg, Count, F, Q

from catalog.fields import PartialDateField, WebURLField
from catalog.models.base import (
    Publishable,
    PublishingQuerySet,
    SlugManager,
    SlugNaturalKeyMixin,
    Status,
    choices_constraint,
    live_q,
    publish_at_field,
    published_has_time,
)
from catalog.models.constraints import decimal_constraint, partial_date_constraint, slug_constraint
from catalog.models.links import reverse_or_empty

from .aggregates import current_score
from .scores import LETTER_GRADES, Scale, band_for, format_rating, normalize


class PublicationKind(models.TextChoices):
    MAGAZINE = "magazine", "Magazine"
    WEBSITE = "website", "Website"
    NEWSPAPER = "newspaper", "Newspaper"
    BROADCASTER = "broadcaster", "Broadcaster"
    BLOG = "blog", "Blog"
    OTHER = "other", "Other"


class Publication(SlugNaturalKeyMixin, models.Model):
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    url = WebURLField("URL", blank=True, help_text="The publication's home page.")
    kind = models.CharField(max_length=20, choices=PublicationKind, default=PublicationKind.WEBSITE)
    description = models.TextField(blank=True)

    objects = SlugManager()

    class Meta:
        ordering = ["name"]
        constraints = [
            choices_constraint("kind", PublicationKind, "publication_kind_valid"),
            slug_constraint("publication_slug_valid"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse_or_empty("reviews:publication-detail", kwargs={"slug": self.slug})


class Critic(SlugNaturalKeyMixin, models.Model):
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    publications = models.ManyToManyField(Publication, blank=True, related_name="critics")
    biography = models.TextField(blank=True)

    objects = SlugManager()

    class Meta:
        ordering = ["name"]
        constraints = [slug_constraint("critic_slug_valid")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse_or_empty("reviews:critic-detail", kwargs={"slug": self.slug})


class ReviewQuerySet(PublishingQuerySet):
    def get_by_natural_key(self, album_slug, publication_slug):
        return self.get(album__slug=album_slug, publication__slug=publication_slug)

    def published(self):
        """The one place that decides which reviews visitors see: live, on a live album."""
        return self.live().filter(live_q("album__"))

    def scored(self):
        return self.filter(score__isnull=False)

    def for_listing(self):
        return self.select_related("album", "publication", "critic")

    def latest_first(self):
        return self.order_by("-date", "-created_at")

    def with_album_score(self):
        """Each review with its album's current aggregate as `album_score` (None before the album has one)."""
        return self.alias(album_score=current_score("album__score_periods")).select_related("album_score")

    def against_consensus(self):
        """Their mean score, the albums' consensus means, and how far they stray on average."""
        scored = self.scored().alias(album_score=current_score("album__score_periods"))
        return scored.filter(album_score__mean__isnull=False).aggregate(
            count=Count("pk"),
            mean=Avg("score"),
            consensus=Avg("album_score__mean"),
            difference=Avg(F("score") - F("album_score__mean")),
        )


class Review(Publishable):
    album = models.ForeignKey("catalog.Album", on_delete=models.CASCADE, related_name="reviews")
    publication = models.ForeignKey(Publication, on_delete=models.PROTECT, related_name="reviews")
    critic = models.ForeignKey(
        Critic, on_delete=models.PROTECT, null=True, blank=True, related_name="reviews",
        help_text="Leave empty for an unsigned review.",
    )
    date = PartialDateField(help_text="When the review was published: YYYY, YYYY-MM or YYYY-MM-DD.")
    url = WebURLField("URL", max_length=500, blank=True, help_text="Where the review can be read.")
    quote = models.CharField(
        "pull quote", max_length=300, blank=True,
        help_text="A short quotation from the review, word for word, without quotation marks.",
    )
    scale = models.CharField(
        max_length=10, choices=Scale, default=Scale.NONE,
        help_text="The rating exactly as the publication printed it: pick its scale, then its value.",
    )
    rating_value = models.DecimalField(
        "rating", max_digits=4, decimal_places=1, null=True, blank=True,
        help_text="For stars, out of 10 and out of 100: the number printed (3.5, 6.3, 84).",
    )
    out_of = models.PositiveSmallIntegerField(
        "stars out of", null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(10)],
        help_text="For stars only: how many stars the scale has (usually 5).",
    )
    grade = models.CharField(
        max_length=2, blank=True, choices=[(grade, grade) for grade in LETTER_GRADES],
        help_text="For letter grades only.",
    )
    score = models.PositiveSmallIntegerField(
        "normalized score", null=True, blank=True, editable=False,
        help_text="0–100, derived from the rating by the conversion on the methodology page.",
    )
    status = models.CharField(
        max_length=10, choices=Status, default=Status.PUBLISHED,
        help_text="Draft reviews are hidden and left out of the album's aggregate.",
    )
    publish_at = publish_at_field()
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ReviewQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-created_at"]
        indexes = [
            models.Index(fields=["status", "-date", "-created_at"]),
            models.Index(fields=["album", "status"]),
            models.Index(fields=["publication", "status", "-date"]),
            models.Index(fields=["critic", "status", "-date"]),
            models.Index(fields=["score"]),  # The review list's score range and order.
            models.Index(fields=["status", "publish_at"]),
        ]
        permissions = [("publish_review", "Can publish, schedule and unpublish reviews")]
        constraints = [
            models.UniqueConstraint(fields=["album", "publication"], name="review_once_per_publication"),
            choices_constraint("scale", Scale, "review_scale_valid"),
            choices_constraint("status", Status, "review_status_valid"),
            published_has_time("review_published_has_time"),
            models.CheckConstraint(
                condition=Q(score__isnull=True) | Q(score__gte=0, score__lte=100), name="review_score_0_100"
            ),
            models.CheckConstraint(
                condition=Q(rating_value__isnull=True) | Q(rating_value__gte=0), name="review_rating_not_negative"
            ),
            models.CheckConstraint(
                condition=~Q(scale=Scale.STARS) | Q(out_of__isnull=False, rating_value__lte=models.F("out_of")),
                name="review_stars_within_scale",
            ),
            models.CheckConstraint(
                condition=~Q(scale=Scale.OUT_OF_10) | Q(rating_value__lte=10), name="review_out_of_10_within_scale"
            ),
            models.CheckConstraint(
                condition=~Q(scale=Scale.OUT_OF_100) | Q(rating_value__lte=100),
                name="review_out_of_100_within_scale",
            ),
            models.CheckConstraint(
                condition=~Q(scale=Scale.LETTER) | Q(grade__in=list(LETTER_GRADES)), name="review_grade_valid"
            ),
            partial_date_constraint("date", "review_date_valid"),
            decimal_constraint("rating_value", 4, 1, "review_rating_value_digits"),
        ]

    def __str__(self):
        by = f" by {self.critic.name}" if self.critic_id else ""
        return f"{self.publication.name}{by} on {self.album.title}"

    def save(self, *args, **kwargs):
        # The normalized score is derived here so every path that saves a review keeps it right.
        self.score = normalize(self.scale, self.rating_value, self.out_of, self.grade)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        album_url = self.album.get_absolute_url()  # empty for an album whose slug no URL can hold
        return f"{album_url}#review-{self.pk}" if album_url else ""

    def natural_key(self):
        return (self.album.slug, self.publication.slug)

    natural_key.dependencies = ["catalog.album", "reviews.publication", "reviews.critic"]

    @classmethod
    def from_db(cls, db, field_names, values):
        review = super().from_db(db, field_names, values)
        # Remembered so that moving a review to another album refreshes both aggregates.
        review.loaded_album_id = review.__dict__.get("album_id")
        return review

    def clean(self):
        super().clean()
        self.grade = (self.grade or "").strip().upper().replace("−", "-").replace("–", "-")
        if self.scale not in Scale.values:
            return  # clean_fields() has already said the scale is not a valid choice.
        errors = {}
        value = self.rating_value
        if self.scale == Scale.NONE:
            if value is not None or self.grade:
                errors["scale"] = "This review has a rating: pick the scale it was given on."
        elif self.scale == Scale.LETTER:
            if self.grade not in LETTER_GRADES:
                errors["grade"] = "Pick the letter grade the review gave (A+ to F)."
            if value is not None:
                errors["rating_value"] = "A letter grade has no number: leave this empty."
        else:
            maximum = {Scale.STARS: self.out_of, Scale.OUT_OF_10: 10, Scale.OUT_OF_100: 100}[self.scale]
            if self.scale == Scale.STARS and not self.out_of:
                errors["out_of"] = "Say how many stars the scale has (usually 5)."
            elif value is None:
                errors["rating_value"] = "Give the rating the review printed."
            elif value < 0:
                errors["rating_value"] = "A rating cannot be negative."
            elif value > maximum:
                errors["rating_value"] = f"{value.normalize():f} is more than the scale's maximum of {maximum}."
            elif self.scale == Scale.STARS and (value * 2) % 1:
                errors["rating_value"] = "Stars come in whole or half steps (3, 3.5, 4…)."
            elif self.scale == Scale.OUT_OF_100 and value % 1:
                errors["rating_value"] = "A score out of 100 is a whole number."
            if self.grade:
                errors["grade"] = "Only letter-grade reviews have a grade."
        if self.scale != Scale.STARS and self.out_of:
            errors["out_of"] = "Only star ratings have a number of stars."
        if errors:
            raise ValidationError(errors)

    @property
    def rating_display(self):
        return format_rating(self.scale, self.rating_value, self.out_of, self.grade)

    @property
    def band(self):
        return band_for(self.score)


class OutsideAggregateQuerySet(models.QuerySet):
    def get_by_natural_key(self, album_slug, source):
        return self.get(album__slug=album_slug, source=source)


class OutsideAggregate(models.Model):
    """A score another site published (Metacritic's, say): shown beside ours, never mixed into it."""

    album = models.ForeignKey("catalog.Album", on_delete=models.CASCADE, related_name="outside_aggregates")
    source = models.CharField(max_length=100, help_text="e.g. 'Metacritic'.")
    score = models.PositiveSmallIntegerField(validators=[MaxValueValidator(100)], help_text="0–100.")
    review_count = models.PositiveIntegerField(null=True, blank=True, help_text="How many reviews it rests on.")
    date = PartialDateField(help_text="When we read it.")
    url = WebURLField("URL", max_length=500, blank=True)

    objects = OutsideAggregateQuerySet.as_manager()

    class Meta:
        ordering = ["source"]
        constraints = [
            models.UniqueConstraint(fields=["album", "source"], name="outside_aggregate_once_per_source"),
            models.CheckConstraint(condition=Q(score__gte=0, score__lte=100), name="outside_aggregate_score_0_100"),
            partial_date_constraint("date", "outside_aggregate_date_valid"),
        ]

    def __str__(self):
        return f"{self.source}: {self.score}"

    def natural_key(self):
        return (self.album.slug, self.source)

    natural_key.dependencies = ["catalog.album"]

    @property
    def band(self):
        return band_for(self.score)
