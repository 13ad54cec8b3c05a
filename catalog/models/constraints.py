"""CHECK constraints for the values every page must be able to render: slugs, partial dates and decimals.

The model validators refuse these values when an editor types them; the constraints refuse them on every other
way in (a script, a bulk import, a SQL console, QuerySet.update()). They are written with Django lookups that
mean the same on SQLite and PostgreSQL: `__regex` is PostgreSQL's `~` and, on SQLite, the REGEXP function
Django's backend registers (Python's `re`). The patterns use only what both read alike: bracket classes,
counted repeats, non-capturing groups, and `\\A`/`\\Z` for the ends of the text (`$` would let a trailing
newline through in Python).
"""

from decimal import Decimal

from django.core.management.base import CommandError
from django.db import models
from django.db.models import Q, TextField
from django.db.models.functions import Cast

# What Django's validate_slug and the URLs' <slug:> converter accept: ASCII letters, digits, - and _.
SLUG_PATTERN = r"\A[-a-zA-Z0-9_]+\Z"

_DAY_31 = "(?:0[1-9]|[12][0-9]|3[01])"
_DAY_30 = "(?:0[1-9]|[12][0-9]|30)"
_DAY_28 = "(?:0[1-9]|1[0-9]|2[0-8])"
# Years 0001 to 9999 (Python's dates have no year 0); leap years are the multiples of 4 that are not
# multiples of 100 (..04 to ..96), and the multiples of 400 (0400, 0800 ... 9600).
_YEAR = "(?:[0-9]{3}[1-9]|[0-9]{2}[1-9]0|[0-9][1-9]00|[1-9]000)"
_LEAP_YEAR = "(?:[0-9]{2}(?:0[48]|[2468][048]|[13579][26])|(?:0[48]|[2468][048]|[13579][26])00)"
_MONTH_AND_DAY = (
    f"(?:(?:0[13578]|1[02])(?:-{_DAY_31})?|(?:0[469]|11)(?:-{_DAY_30})?|02(?:-{_DAY_28})?)"
)
# YYYY, YYYY-MM or YYYY-MM-DD of a day that exists: the database's copy of catalog.fields.parse_partial_date.
PARTIAL_DATE_PATTERN = rf"\A(?:{_YEAR}(?:-{_MONTH_AND_DAY})?|{_LEAP_YEAR}-02-29)\Z"


def slug_constraint(name, field="slug"):
    """Only a slug a URL can hold: any other would make every page that links the row fail to build its link."""
    return models.CheckConstraint(
        condition=Q(**{f"{field}__regex": SLUG_PATTERN}),
        name=name,
        violation_error_message="A slug holds only letters, digits, hyphens and underscores.",
    )


def partial_date_constraint(field, name, blank=True):
    """YYYY, YYYY-MM or YYYY-MM-DD of a date that exists; empty too when the field may be blank."""
    condition = Q(**{f"{field}__regex": PARTIAL_DATE_PATTERN})
    return models.CheckConstraint(
        condition=Q(**{field: ""}) | condition if blank else condition,
        name=name,
        violation_error_message="Enter a date that exists as YYYY, YYYY-MM or YYYY-MM-DD (e.g. 2003, 2003-09).",
    )


def decimal_constraint(field, max_digits, decimal_places, name):
    """Within the field's digits, as PostgreSQL's numeric column is and SQLite's is not.

    On SQLite a value beyond them is stored, and reading it back fails in Django (the value does not fit
    the field's decimal context), so every page that loads the row would fail. More decimal places than the
    field has are rounded on reading, so only the range is checked.
    """
    limit = Decimal(10) ** (max_digits - decimal_places)
    return models.CheckConstraint(
        condition=Q(**{f"{field}__isnull": True}) | Q(**{f"{field}__gt": -limit, f"{field}__lt": limit}),
        name=name,
        violation_error_message=f"Enter a number with at most {max_digits - decimal_places} digits before "
        f"the decimal point.",
    )


def refuse_rows_breaking(app_label, constraint_operations, shown=20):
    """A RunPython step for a migration that adds these constraints: stop, naming each row that breaks one.

    Adding the constraint would fail on such a row anyway, with the database's bare error; this says which
    table, row and value, so that the rows can be fixed (in the admin, or the shell) before migrating again.
    Values are read as text: a decimal beyond its digits cannot be read as a decimal on SQLite.
    """

    def check(apps, schema_editor):
        problems = []
        for operation in constraint_operations:
            model = apps.get_model(app_label, operation.model_name)
            constraint = operation.constraint
            fields = sorted(constraint.condition.referenced_base_fields)
            broken = (
                model._base_manager.using(schema_editor.connection.alias)
                .exclude(constraint.condition)
                .annotate(**{f"{field}_as_text": Cast(field, TextField()) for field in fields})
                .order_by("pk")
                .values_list("pk", *(f"{field}_as_text" for field in fields))
            )
            for pk, *values in broken:
                shown_values = ", ".join(f"{field}={value!r}" for field, value in zip(fields, values, strict=True))
                problems.append(f"{model._meta.db_table} row pk={pk}: {shown_values} ({constraint.name})")
        if problems:
            more = f"\n…and {len(problems) - shown} more" if len(problems) > shown else ""
            raise CommandError(
                "These rows hold values the pages cannot render, and the new constraints would refuse them. "
                "Fix them, then migrate again:\n" + "\n".join(problems[:shown]) + more
            )

    return check
