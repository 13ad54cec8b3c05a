"""Pieces every catalog model shares: publication status and natural keys by slug."""

from django.db import models


class Status(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"


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
