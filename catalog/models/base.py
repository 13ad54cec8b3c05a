"""Pieces every catalog model shares: publication status, who may publish, and natural keys by slug."""

from django.contrib.auth import get_permission_codename
from django.db import models
from django.db.models import Q, Value
from django.utils import timezone


class Status(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"


class QueryTime(models.Expression):
    """The time when the query runs, read from the application's clock as its SQL is written.

    A queryset built once (a view's class attribute, a filter's choices, a Count's filter) would
    otherwise keep the time it was built at, and a scheduled item would never go live in it.
    The application's clock, not the database's NOW(), so that tests can move it.
    """

    output_field = models.DateTimeField()

    def as_sql(self, compiler, connection):
        return Value(timezone.now(), output_field=self.output_field).as_sql(compiler, connection)


def live_q(prefix="", publish_field="publish_at"):
    """Published and past its publish-at time: the one test of what a visitor may see.

    Deciding at query time means a scheduled item goes live on the minute with no cron job.
    `prefix` reaches through a relation ("album__").
    """
    return Q(**{f"{prefix}status": Status.PUBLISHED, f"{prefix}{publish_field}__lte": QueryTime()})


class PublishingQuerySet(models.QuerySet):
    publish_field = "publish_at"

    def live(self):
        """Published, and its publish-at time has come, whatever the rows it belongs to."""
        return self.filter(live_q(publish_field=self.publish_field))

    def published(self):
        """What visitors see: live (models that hang off another live one say so too)."""
        return self.live()

    def scheduled(self):
        """Published with a publish-at time still in the future."""
        return self.filter(status=Status.PUBLISHED, **{f"{self.publish_field}__gt": QueryTime()})

    def drafts(self):
        return self.filter(status=Status.DRAFT)


def permission_name(model, action):
    """A model permission's full name as Django builds its own: ("view", Album) -> "catalog.view_album"."""
    opts = model._meta
    return f"{opts.app_label}.{get_permission_codename(action, opts)}"


class Publishable(models.Model):
    """Draft or published, and when it goes live: a future publish-at time schedules it.

    Who may publish is the one rule the admin, the imports and the history's revert apply: the holders of
    the model's publish permission (the roles module grants it) may publish, schedule and unpublish, and
    change what is published or scheduled; anyone else works on drafts.
    """

    publish_field = "publish_at"

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self.fill_publish_time()
        super().save(*args, **kwargs)

    def clean(self):
        # Before validate_constraints() runs: a form publishing with an empty time is valid.
        self.fill_publish_time()

    @classmethod
    def publish_permission(cls):
        """The permission that decides who may publish the model's items: "catalog.publish_album"."""
        return permission_name(cls, "publish")

    @classmethod
    def may_be_published_by(cls, user):
        return user.has_perm(cls.publish_permission())

    def fill_publish_time(self):
        """Publishing without a time means "now"; a stored time keeps the item's place in feeds."""
        if self.status == Status.PUBLISHED and self._publish_time() is None:
            setattr(self, self.publish_field, timezone.now())

    def _publish_time(self):
        return getattr(self, self.publish_field)

    @property
    def is_published(self):
        """Visible to visitors now."""
        when = self._publish_time()
        return self.status == Status.PUBLISHED and when is not None and when <= timezone.now()

    @property
    def is_scheduled(self):
        when = self._publish_time()
        return self.status == Status.PUBLISHED and when is not None and when > timezone.now()

    @property
    def publication_state(self):
        """'draft', 'scheduled' or 'published', for admin lists and the preview banner."""
        if self.status == Status.DRAFT:
            return "draft"
        return "scheduled" if self.is_scheduled else "published"


def publish_at_field():
    return models.DateTimeField(
        "publish at", null=True, blank=True, db_index=False,
        help_text="When visitors first see it. Empty means now, on publishing; a future time schedules it.",
    )


def published_has_time(name, publish_field="publish_at"):
    """A published item always has its publish-at time, so the visibility query never sees NULL."""
    return models.CheckConstraint(
        condition=Q(status=Status.DRAFT) | Q(**{f"{publish_field}__isnull": False}), name=name
    )


class SlugQuerySet(models.QuerySet):
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


SlugManager = models.Manager.from_queryset(SlugQuerySet)


class SlugNaturalKeyMixin:
    """Fixtures refer to slugged models by slug, so they load on any database."""

    def natural_key(self):
        return (self.slug,)


def choices_constraint(field, choices, name):
    """A CHECK constraint that keeps a choices field to its choices in the database."""
    return models.CheckConstraint(
        condition=models.Q(**{f"{field}__in": choices.values}), name=name
    )
