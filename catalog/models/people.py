"""Artists (people and groups), the groups people play in, and labels and genres."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django_countries.fields import CountryField

from catalog.fields import PartialDateField, WebURLField
from catalog.images import SafeImageField
from catalog.models.constraints import partial_date_constraint, slug_constraint
from catalog.models.links import reverse_or_empty
from catalog.validators import validate_image_file

from .base import SlugManager, SlugNaturalKeyMixin, choices_constraint


class ArtistKind(models.TextChoices):
    PERSON = "person", "Person"
    GROUP = "group", "Group"


class Artist(SlugNaturalKeyMixin, models.Model):
    name = models.CharField(max_length=200)
    sort_name = models.CharField(
        max_length=200,
        blank=True,
        help_text="How the name sorts in lists: 'Shields, Kevin', 'Jesus and Mary Chain, The'. "
        "Leave empty to sort by the name as written.",
    )
    slug = models.SlugField(max_length=200, unique=True, help_text="The artist's address on the site.")
    kind = models.CharField(max_length=10, choices=ArtistKind, default=ArtistKind.PERSON)
    disambiguation = models.CharField(
        max_length=200,
        blank=True,
        help_text="Tells apart artists with the same name, e.g. 'American audio engineer'.",
    )
    original_name = models.CharField(
        max_length=200, blank=True, help_text="The name in its original script, e.g. はっぴいえんど."
    )
    begin_date = PartialDateField(help_text="Born or formed: YYYY, YYYY-MM or YYYY-MM-DD.")
    end_date = PartialDateField(help_text="Died or disbanded: YYYY, YYYY-MM or YYYY-MM-DD.")
    country = CountryField(blank=True)
    biography = models.TextField(blank=True, help_text="A short biography in our own words.")
    image = SafeImageField(
        upload_to="artists/", blank=True, validators=[validate_image_file],
        width_field="image_width", height_field="image_height",
        help_text="JPEG, PNG or WebP, at most 5 MB.",
    )
    image_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    image_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    image_alt = models.CharField(
        max_length=300, blank=True, help_text="Describes the image for people who cannot see it."
    )
    members = models.ManyToManyField(
        "self", through="Membership", symmetrical=False, related_name="groups", blank=True
    )

    objects = SlugManager()

    class Meta:
        ordering = ["sort_name", "name"]
        indexes = [
            models.Index(fields=["sort_name", "name"]),
            models.Index(Lower("name"), name="artist_name_lower_idx"),  # The album and track filters.
        ]
        constraints = [
            choices_constraint("kind", ArtistKind, "artist_kind_valid"),
            models.CheckConstraint(
                condition=Q(image="") | ~Q(image_alt=""), name="artist_image_has_alt"
            ),
            slug_constraint("artist_slug_valid"),
            partial_date_constraint("begin_date", "artist_begin_date_valid"),
            partial_date_constraint("end_date", "artist_end_date_valid"),
        ]

    def __str__(self):
        return f"{self.name} ({self.disambiguation})" if self.disambiguation else self.name

    def save(self, *args, **kwargs):
        if not self.sort_name:
            self.sort_name = self.name
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse_or_empty("catalog:artist-detail", kwargs={"slug": self.slug})

    def clean(self):
        if self.image and not self.image_alt.strip():
            raise ValidationError({"image_alt": "Describe the image for people who cannot see it."})
        # Compare only as precisely as both dates are known: an end in "2003" may follow a begin in "2003-05".
        precision = min(len(self.begin_date), len(self.end_date))
        if self.begin_date and self.end_date and self.end_date[:precision] < self.begin_date[:precision]:
            raise ValidationError({"end_date": "The end date comes before the begin date."})

    @property
    def is_group(self):
        return self.kind == ArtistKind.GROUP


class MembershipQuerySet(models.QuerySet):
    def get_by_natural_key(self, group_slug, member_slug):
        return self.get(group__slug=group_slug, member__slug=member_slug)


class Membership(models.Model):
    """A person in a group, so a person's page can list what they recorded with it."""

    group = models.ForeignKey(
        Artist, on_delete=models.CASCADE, related_name="memberships",
        limit_choices_to={"kind": ArtistKind.GROUP},
    )
    member = models.ForeignKey(
        Artist, on_delete=models.CASCADE, related_name="group_memberships",
        limit_choices_to={"kind": ArtistKind.PERSON},
    )
    instruments = models.CharField(
        max_length=200, blank=True, help_text="Comma-separated, e.g. 'guitar, vocals'."
    )
    begin_year = models.PositiveSmallIntegerField(null=True, blank=True)
    end_year = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Empty while the person is still a member."
    )
    position = models.PositiveSmallIntegerField(default=1, help_text="Order among the group's members.")

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["group", "member"], name="membership_unique"),
            models.CheckConstraint(condition=~Q(group=models.F("member")), name="membership_not_self"),
            models.CheckConstraint(
                condition=Q(end_year__isnull=True)
                | Q(begin_year__isnull=True)
                | Q(end_year__gte=models.F("begin_year")),
                name="membership_years_ordered",
            ),
        ]

    def __str__(self):
        return f"{self.member.name} in {self.group.name}"

    def natural_key(self):
        return (self.group.slug, self.member.slug)

    natural_key.dependencies = ["catalog.artist"]

    def clean(self):
        if self.group_id and self.group_id == self.member_id:
            raise ValidationError("An artist cannot be a member of itself.")
        if self.begin_year and self.end_year and self.end_year < self.begin_year:
            raise ValidationError({"end_year": "The end year comes before the begin year."})

    @property
    def years(self):
        if not self.begin_year:
            return ""
        return f"{self.begin_year}–{self.end_year or 'present'}"


class Label(SlugNaturalKeyMixin, models.Model):
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    country = CountryField(blank=True)
    url = WebURLField(blank=True, help_text="The label's own website.")
    description = models.TextField(blank=True)

    objects = SlugManager()

    class Meta:
        ordering = ["name"]
        constraints = [slug_constraint("label_slug_valid")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse_or_empty("catalog:label-detail", kwargs={"slug": self.slug})


class Genre(SlugNaturalKeyMixin, models.Model):
    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    description = models.TextField(blank=True)

    objects = SlugManager()

    class Meta:
        ordering = ["name"]
        constraints = [slug_constraint("genre_slug_valid")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse_or_empty("catalog:genre-detail", kwargs={"slug": self.slug})
