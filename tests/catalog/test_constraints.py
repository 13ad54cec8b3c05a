"""The values every page must render are database constraints (catalog/models/constraints.py), and a row that gets
past them anyway does not take the pages down (catalog/models/links.py).

The fields are found by introspection: every SlugField, PartialDateField and DecimalField of the catalog and
reviews apps, so a new one is covered without a change here (and fails here until it has its constraint).
"""

import re
import xml.etree.ElementTree as ET
from decimal import Decimal
from urllib.parse import urlsplit

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DataError, IntegrityError, connection, models, transaction
from django.template import Context, Template
from django.urls import NoReverseMatch, get_resolver, reverse
from factory.django import DjangoModelFactory

from catalog.fields import PartialDateField, validate_partial_date
from catalog.models import Album, Artist, Label
from catalog.models.constraints import PARTIAL_DATE_PATTERN
from reviews.models import AlbumScore, Publication, Review, Scale
from tests import factories
from tests.factories import AlbumFactory, ReviewFactory, TrackArtistFactory, TrackFactory
from tests.pages import get_page
from tests.test_seo import absolute, only_json_ld, sitemap

RULED = (models.SlugField, PartialDateField, models.DecimalField)


def ruled_fields():
    return [
        (model, field)
        for app_label in ("catalog", "reviews")
        for model in apps.get_app_config(app_label).get_models()
        for field in model._meta.concrete_fields
        if isinstance(field, RULED)
    ]


FIELDS = ruled_fields()
FIELD_IDS = [f"{model._meta.label}.{field.name}" for model, field in FIELDS]


def refused_values(field):
    """Values the field's validators refuse, chosen to look like what a script or an import might write."""
    if isinstance(field, models.SlugField):
        return ["<script>", "has space", "", "ünïcode", "trailing-newline\n", "a/b", "a.b"]
    if isinstance(field, PartialDateField):
        return [
            "2003-13", "2003-00", "2003-02-30", "2001-02-29", "1900-02-29", "2003-04-31", "2003-09-00",
            "2003-9", "03", "20x3", "2003-09-09T00:00", "0000", "2003\n", "２００３", " 2003",
        ] + ([] if field.blank else [""])
    limit = Decimal(10) ** (field.max_digits - field.decimal_places)
    return [limit, -limit, limit * 1000]


def accepted_values(field):
    """The edges the validators accept, which the database must accept too."""
    if isinstance(field, models.SlugField):
        return ["A-z_09"]
    if isinstance(field, PartialDateField):
        return ["2000-02-29", "2004-02-29", "2003-02-28", "2003-04-30", "2003-12-31", "0001", "9999-12", "2003"] + (
            [""] if field.blank else []
        )
    step = Decimal(10) ** -field.decimal_places
    return [Decimal(10) ** (field.max_digits - field.decimal_places) - step]


# A row on which only the field's own rule can refuse the value: an unrated review has no rating rules
# that a 1000 in rating_value would break first.
ROWS = {Review: {"scale": Scale.NONE}}

FACTORIES = {
    factory._meta.model: factory for factory in vars(factories).values()
    if isinstance(factory, type) and issubclass(factory, DjangoModelFactory) and factory._meta.model
}


def a_row(model):
    """The fixtures' first row, or one from the model's factory where they have none (charts, for one)."""
    row = model._base_manager.filter(**ROWS.get(model, {})).order_by("pk").first()
    if row is None:
        assert model in FACTORIES, f"Neither the fixtures nor tests/factories.py make a {model._meta.label}"
        row = FACTORIES[model](**ROWS.get(model, {}))
    return row


def own_constraints(model, field):
    """The names of the model's CHECK constraints about this field alone."""
    checks = [constraint for constraint in model._meta.constraints if isinstance(constraint, models.CheckConstraint)]
    return {check.name for check in checks if check.condition.referenced_base_fields == {field.name}}


@pytest.mark.parametrize(("model", "field"), FIELDS, ids=FIELD_IDS)
def test_the_database_refuses_what_the_validators_refuse(model, field, reception):
    row = a_row(model)
    rows = model._base_manager.filter(pk=row.pk)
    names = own_constraints(model, field)
    assert names, f"{model._meta.label}.{field.name} has no CHECK constraint of its own"

    for value in refused_values(field):
        with pytest.raises(ValidationError):
            field.clean(value, row)  # what an editor is told
        with pytest.raises((IntegrityError, DataError)) as refused, transaction.atomic():
            rows.update(**{field.attname: value})
        if isinstance(refused.value, DataError):
            # PostgreSQL's column type refuses the value itself, before any CHECK is read: a numeric(4, 1) the
            # number, a varchar(10) the text (SQLite holds neither to its size, and the CHECK refuses both).
            assert connection.vendor == "postgresql"
            if isinstance(field, models.DecimalField):
                assert "numeric field overflow" in str(refused.value)
            else:
                assert len(value) > field.max_length and "value too long" in str(refused.value)
        else:
            assert any(name in str(refused.value) for name in names), (value, str(refused.value))

    for value in accepted_values(field):
        rows.update(**{field.attname: value})
        field.clean(value, row)


def test_an_editor_is_told_once_in_words_at_the_field(db):
    """The field's validator speaks; the constraint, which says the same, does not add a second message."""
    album = AlbumFactory.build(slug="<script>", release_date="２００３", label=None)

    with pytest.raises(ValidationError) as refused:
        album.full_clean()

    assert set(refused.value.message_dict) == {"slug", "release_date"}
    assert refused.value.message_dict["release_date"] == [
        "Enter a date as YYYY, YYYY-MM or YYYY-MM-DD (for example 2003, 2003-09 or 2003-09-09)."
    ]


def test_the_partial_date_pattern_agrees_with_the_validator():
    """Every month and day of every kind of year (leap, not, centuries, 400s), plus near misses."""
    pattern = re.compile(PARTIAL_DATE_PATTERN)  # the REGEXP SQLite runs; PostgreSQL's reads the same

    def valid(value):
        try:
            validate_partial_date(value)
        except ValidationError:
            return False
        return True

    years = ["0000", "0001", "0004", "0100", "0400", "1900", "1999", "2000", "2003", "2004", "2100", "2400", "9999"]
    values = [
        f"{year}{month}{day}"
        for year in years
        for month in ["", *(f"-{month:02d}" for month in range(14))]
        for day in (["", *(f"-{day:02d}" for day in range(33))] if month else [""])
    ]
    values += [f"{year:04d}" for year in range(10000)] + ["2003-9-9", "2003-09-9", "2003--09", "2003-09-", "２００３"]
    disagreements = [value for value in values if bool(pattern.search(value)) != valid(value)]
    assert disagreements == []


# The migration that adds them ---------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_the_migration_names_the_rows_to_fix_first_and_can_be_undone():
    call_command("migrate", "reviews", "0005", verbosity=0)
    call_command("migrate", "catalog", "0004", verbosity=0)
    try:
        album = AlbumFactory(slug="fine")
        Album.objects.filter(pk=album.pk).update(slug="not fine", release_date="2003-02-30")

        with pytest.raises(CommandError) as stopped:
            call_command("migrate", "catalog", verbosity=0)

        message = str(stopped.value)
        assert f"catalog_album row pk={album.pk}: slug='not fine' (album_slug_valid)" in message
        assert f"catalog_album row pk={album.pk}: release_date='2003-02-30' (album_release_date_valid)" in message
        Album.objects.filter(pk=album.pk).update(slug="fine", release_date="2003-02")
    finally:
        call_command("migrate", verbosity=0)
    with pytest.raises(IntegrityError):
        Album.objects.filter(pk=album.pk).update(slug="not fine")


# A row forced past the constraints ----------------------------------------------------------------------


def force(model, field, pk, value):
    """Write the value as a SQL console with the checks off would: SQLite's ignore_check_constraints."""
    table, column = map(connection.ops.quote_name, (model._meta.db_table, field.column))
    # A composite primary key (reviews.ScorePeriod's) is a tuple of its fields' values.
    keys = " AND ".join(f"{connection.ops.quote_name(key.column)} = %s" for key in model._meta.pk_fields)
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA ignore_check_constraints = ON")
        try:
            cursor.execute(f"UPDATE {table} SET {column} = %s WHERE {keys}", [str(value), *(
                pk if isinstance(pk, tuple) else [pk])])
        finally:
            cursor.execute("PRAGMA ignore_check_constraints = OFF")


BROKEN = {
    models.SlugField: "<script>",
    # Not a date, and ten characters long: both what int(value[:4]) and date.fromisoformat() failed on.
    PartialDateField: "20x3-02-30",
    models.DecimalField: Decimal("12345.6"),
}


def public_pages():
    """The home page, every page of the catalog and reviews URLs that takes no argument, the sitemap and a search,
    then the detail page of every row a visitor can see that has one."""
    resolver = get_resolver()
    paths = ["/sitemap.xml", reverse("search") + "?q=lost"]
    for namespace in ("catalog", "reviews"):
        for pattern in resolver.namespace_dict[namespace][1].url_patterns:
            if not pattern.pattern.converters:
                paths.append(reverse(f"{namespace}:{pattern.name}"))
    for model in apps.get_models():
        has_slug = any(field.name == "slug" for field in model._meta.fields)
        if model._meta.app_label in ("catalog", "reviews") and has_slug and hasattr(model, "get_absolute_url"):
            queryset = model.objects.all()
            if hasattr(queryset, "published"):
                queryset = queryset.published()
            paths += [url for url in (row.get_absolute_url() for row in queryset) if url]
    return paths


@pytest.fixture
def catalog_with_more(reception):
    """The fixtures plus a second album by factories, which names the fixture's label, film, genres, an artist,
    a publication and a critic: a page of another row, for when the fixture's album is the broken one."""
    album = AlbumFactory(title="Lost in Translation: the score", label=reception.label, film=reception.film,
                         genres=list(reception.genres.all()))
    TrackArtistFactory(track=TrackFactory(album=album), artist=Artist.objects.order_by("pk").first())
    review = Review.objects.order_by("pk").first()
    ReviewFactory(album=album, publication=Publication.objects.order_by("pk").first(), critic=review.critic)
    AlbumScore.refresh(album.pk)
    return reception


@pytest.mark.skipif(connection.vendor != "sqlite", reason="forces the rows in with SQLite's ignore_check_constraints")
@pytest.mark.parametrize("kind", BROKEN, ids=["slugs", "partial dates", "decimals"])
def test_pages_stay_up_with_rows_forced_past_the_constraints(kind, catalog_with_more, client, caplog):
    """Every field of the kind broken at once, each on its model's first row: one crawl per kind, not per field."""
    broken = [(model, field, a_row(model)) for model, field in FIELDS if isinstance(field, kind)]
    for model, field, row in broken:
        force(model, field, row.pk, BROKEN[kind])

    paths = public_pages()
    failures = [(path, response.status_code) for path in paths if (response := client.get(path)).status_code != 200]

    assert failures == []
    assert len(paths) > 30
    if kind is models.SlugField:
        # Linked from the other rows' pages, the link is left out, and the log says which slug to correct.
        left_out = [record for record in caplog.records if record.name == "catalog.models.links"]
        assert left_out and all("'<script>'" in record.getMessage() for record in left_out)
        pages = [model._base_manager.get(pk=row.pk) for model, _, row in broken if hasattr(model, "get_absolute_url")]
        assert len(pages) >= 9 and all(row.get_absolute_url() == "" for row in pages)


@pytest.mark.skipif(connection.vendor != "sqlite", reason="forces the row in with SQLite's ignore_check_constraints")
def test_a_row_without_an_address_is_left_out_of_the_sitemap_feeds_and_json_ld(catalog_with_more, client):
    album, label = catalog_with_more, catalog_with_more.label
    other = Album.objects.exclude(pk=album.pk).get()
    force(Album, Album._meta.get_field("slug"), album.pk, "<script>")
    force(Label, Label._meta.get_field("slug"), label.pk, "<script>")

    locations = sitemap(client)
    assert absolute(other.get_absolute_url()) in locations
    assert all(urlsplit(location).path for location in locations)  # none listed as the bare site

    feed = ET.fromstring(client.get(reverse("reviews:review-feed")).content)
    assert [item.findtext("link") for item in feed.iter("item")] == [
        absolute(review.get_absolute_url()) for review in other.reviews.all()
    ]

    data = only_json_ld(get_page(client, other.get_absolute_url()), "MusicAlbum")
    assert data["recordLabel"] == {"@type": "Organization", "name": label.name}


def test_a_link_that_fails_for_another_reason_still_raises(db):
    """Only a value no URL can hold is left out: a mistake in the code is not hidden."""
    with pytest.raises(NoReverseMatch):
        Template("{% url 'catalog:album-detail' 'a-fine-slug' 'an-extra-argument' %}").render(Context())
    assert Template("{% url 'catalog:album-detail' '<b>' %}").render(Context()) == ""
