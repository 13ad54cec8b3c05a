"""The album's aggregate of its reviews, kept as a timeline so that a scheduled review joins it on the minute.

Every write that changes an album's reviews recomputes the album's timeline (`AlbumScore.refresh`, called by the
review signals in reviews/signals.py, by the admin's saves and actions through them, and by refresh_scores): one
period until the album's next scheduled review goes live, then one from each publish-at time to the next, each
with the aggregate of the reviews live in it. A page reads the period whose time it is, compared with the
application's clock when the query is written (QueryTime, catalog/models/base.py), so nothing needs writing when
the clock passes a publish-at time: no GET writes, and no cron job is needed.
"""

from decimal import Decimal

from django.db import models, transaction
from django.db.models import F, FilteredRelation, OuterRef, Q, Subquery
from django.utils import timezone

from catalog.models.base import QueryTime, Status
from catalog.models.constraints import decimal_constraint

from .scores import MINIMUM_FOR_VERDICT, band_for, round_half_up

# What a period says, and visitors see: its values.
SHOWN = ("mean", "score", "scored_count", "review_count")


def current_period_q(prefix=""):
    """The period whose time it is now: from its start (the first has none) until its end (the last has none)."""
    now = QueryTime()
    return (Q(**{f"{prefix}starts_at__isnull": True}) | Q(**{f"{prefix}starts_at__lte": now})) & (
        Q(**{f"{prefix}ends_at__isnull": True}) | Q(**{f"{prefix}ends_at__gt": now})
    )


def current_score(relation):
    """A join of the current ScorePeriod through `relation` ("score_periods" from an album, "album__score_periods"
    from a review), for alias() and then select_related(), filter() or order_by() by its name."""
    return FilteredRelation(relation, condition=current_period_q(f"{relation}__"))


def gives_verdict(aggregate):
    """Whether an aggregate rests on enough scored reviews to give a verdict."""
    return aggregate.score is not None and aggregate.scored_count >= MINIMUM_FOR_VERDICT


def verdict_of(aggregate):
    """The aggregate's verdict band, or None without a verdict."""
    return band_for(aggregate.score) if gives_verdict(aggregate) else None


class ScorePeriodQuerySet(models.QuerySet):
    def get_by_natural_key(self, album_slug, position):
        return self.get(album__slug=album_slug, position=position)

    def current(self):
        return self.filter(current_period_q())


class ScorePeriod(models.Model):
    """The album's aggregate over one period of its timeline: the reviews live from `starts_at` until `ends_at`.

    Known by its album and its place in the timeline, so that recomputing it, or restoring a backup, writes the
    same rows again instead of adding new ones.
    """

    pk = models.CompositePrimaryKey("album", "position")
    album = models.ForeignKey("catalog.Album", on_delete=models.CASCADE, related_name="score_periods")
    position = models.PositiveSmallIntegerField()
    starts_at = models.DateTimeField(null=True, blank=True, help_text="When a scheduled review joins; none at first.")
    ends_at = models.DateTimeField(null=True, blank=True, help_text="When the next one joins; none for the last.")
    mean = models.DecimalField(max_digits=4, decimal_places=1, null=True, blank=True)
    score = models.PositiveSmallIntegerField(null=True, blank=True, help_text="The mean, rounded half up.")
    scored_count = models.PositiveIntegerField(default=0)
    review_count = models.PositiveIntegerField(default=0, help_text="Published reviews, scored or not.")

    objects = ScorePeriodQuerySet.as_manager()

    class Meta:
        ordering = ["album_id", "position"]  # the id: ordering by the album would join it for its title
        constraints = [
            models.CheckConstraint(
                condition=Q(score__isnull=True) | Q(score__gte=0, score__lte=100), name="score_period_0_100"
            ),
            models.CheckConstraint(
                condition=Q(starts_at__isnull=True) | Q(ends_at__isnull=True) | Q(starts_at__lt=F("ends_at")),
                name="score_period_starts_before_it_ends",
            ),
            decimal_constraint("mean", 4, 1, "score_period_mean_digits"),
        ]

    def __str__(self):
        return f"{self.score} from {self.scored_count} reviews" if self.score is not None else "No score"

    def natural_key(self):
        return (self.album.slug, self.position)

    natural_key.dependencies = ["catalog.album", "reviews.review"]  # see AlbumScore.natural_key

    has_verdict = property(gives_verdict)
    band = property(verdict_of)


class AlbumScoreManager(models.Manager):
    """Every AlbumScore with the values of its current period, read as the query runs."""

    def get_by_natural_key(self, album_slug):
        return self.get(album__slug=album_slug)

    def get_queryset(self):
        period = ScorePeriod.objects.current().filter(album=OuterRef("album")).order_by()
        return super().get_queryset().annotate(
            **{name: Subquery(period.values(name)[:1]) for name in SHOWN},
            next_change_at=Subquery(period.values("ends_at")[:1]),
        )


class AlbumScore(models.Model):
    """The album's aggregate of its live reviews: the values of its timeline's current period (ScorePeriod).

    `mean`, `score`, `scored_count`, `review_count` and `next_change_at` (when the album's next scheduled review
    goes live) come with every AlbumScore the manager reads, `album.score` included. `updated_at` is when an
    edit last changed what visitors see of it; the period a scheduled review opens dates itself (`starts_at`).
    """

    album = models.OneToOneField("catalog.Album", on_delete=models.CASCADE, primary_key=True, related_name="score")
    updated_at = models.DateTimeField(default=timezone.now)

    objects = AlbumScoreManager()

    class Meta:
        ordering = ["album_id"]
        base_manager_name = "objects"  # album.score reads its values too

    def __str__(self):
        return f"{self.score} from {self.scored_count} reviews" if self.score is not None else "No score"

    def natural_key(self):
        return (self.album.slug,)

    # Fixtures and backups load in the order these give (dumpdata's): an album's aggregate after its reviews, whose
    # signal recomputes it as they load, so that the stored rows, loaded last, keep their own values and time.
    natural_key.dependencies = ["catalog.album", "reviews.review"]

    has_verdict = property(gives_verdict)
    band = property(verdict_of)

    @classmethod
    def refresh(cls, *album_ids):
        """Recompute the albums' timelines from their published reviews; rows are written only where they change."""
        from .reviews import Review

        now = timezone.now()
        for album_id in {album_id for album_id in album_ids if album_id}:
            # Live reviews count whatever the album's own status, so the score is
            # already right on the day a draft album is published.
            reviews = Review.objects.filter(album_id=album_id, status=Status.PUBLISHED)
            periods = timeline(list(reviews.values_list("publish_at", "score")), now)
            with transaction.atomic():
                stored, created = cls.objects.select_for_update().get_or_create(album_id=album_id)
                kept = list(ScorePeriod.objects.filter(album_id=album_id).order_by("position")
                            .values("starts_at", "ends_at", *SHOWN))
                if kept == periods:
                    continue
                ScorePeriod.objects.filter(album_id=album_id).delete()
                ScorePeriod.objects.bulk_create(
                    ScorePeriod(album_id=album_id, position=position, **period)
                    for position, period in enumerate(periods)
                )
                if created:
                    continue
                # `updated_at` dates the album page in the sitemap: it moves when what visitors see changes, never
                # for a draft or a newly scheduled review. A scheduled review that went live since the last write
                # changed it at its publish-at time, which the timeline written now no longer holds.
                current = next((period for period in kept if is_current(period, now)), None)
                if current is None or any(current[name] != periods[0][name] for name in SHOWN):
                    changed_at = now
                else:
                    changed_at = max(filter(None, [stored.updated_at, current["starts_at"]]))
                if changed_at != stored.updated_at:
                    stored.updated_at = changed_at
                    stored.save(update_fields=["updated_at"])


def is_current(period, now):
    return (period["starts_at"] is None or period["starts_at"] <= now) and (
        period["ends_at"] is None or now < period["ends_at"]
    )


def timeline(reviews, now):
    """The periods of an album's aggregate from its published reviews, [(publish_at, score)], as ScorePeriod values.

    The first period holds the reviews live now; each scheduled review's publish-at time starts the next.
    """
    changes = sorted({publish_at for publish_at, _score in reviews if publish_at > now})
    starts = [None, *changes]
    return [
        {"starts_at": start, "ends_at": end, **aggregate([score for publish_at, score in reviews
                                                          if publish_at <= (start or now)])}
        for start, end in zip(starts, [*changes, None], strict=True)
    ]


def aggregate(scores):
    """Our aggregate of these reviews' 0–100 scores (None for an unscored review): the plain mean."""
    scored = [score for score in scores if score is not None]
    mean = Decimal(sum(scored)) / len(scored) if scored else None
    return {
        "mean": round(mean, 1) if mean is not None else None,
        "score": round_half_up(mean) if mean is not None else None,
        "scored_count": len(scored),
        "review_count": len(scores),
    }

