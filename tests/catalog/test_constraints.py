"""The values every page must render are database constraints (catalog/constraints.py).

The fields are found by introspection: every SlugField, PartialDateField and DecimalField of the catalog and
reviews apps, so a new one is covered without a change here (and fails here until it has its constraint).
"""

import re
from decimal import Decimal

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DataError, IntegrityError, connection, models, transaction
from factory.django import DjangoModelFactory

from catalog.constraints import PARTIAL_DATE_PATTERN
from catalog.fields import PartialDateField, validate_partial_date
from catalog.models import Album
from reviews.models import Review, Scale
from tests import factories
from tests.factories import AlbumFactory

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
