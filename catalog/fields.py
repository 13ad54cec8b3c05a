"""Model and form fields for values music data is full of: partial dates and lengths."""

import datetime
import re

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, URLValidator
from django.db import models
from django.utils.dateformat import format as format_date

# ASCII digits and \Z, as the database's CHECK constraint reads them (catalog/models/constraints.py): \d would take
# "２００３" and $ a trailing newline, which the constraint then refuses with a less helpful message.
PARTIAL_DATE_RE = re.compile(r"^([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?\Z")


def parse_partial_date(value):
    """Return (year, month, day) with None for the unknown parts, or raise ValidationError."""
    match = PARTIAL_DATE_RE.match(value or "")
    if not match:
        raise ValidationError(
            "Enter a date as YYYY, YYYY-MM or YYYY-MM-DD (for example 2003, 2003-09 or 2003-09-09).",
            code="invalid_partial_date",
        )
    year, month, day = (int(part) if part else None for part in match.groups())
    try:
        datetime.date(year, 1 if month is None else month, 1 if day is None else day)
    except ValueError:
        raise ValidationError(
            "%(value)s is not a date that exists.", code="impossible_date", params={"value": value}
        ) from None
    return year, month, day


def validate_partial_date(value):
    parse_partial_date(value)


def read_partial_date(value):
    """(year, month, day) as parse_partial_date gives them; all None for an empty value, or for text that is
    not a date (a row forced past the database's check), which pages then show as it is instead of failing."""
    try:
        return parse_partial_date(value) if value else (None, None, None)
    except ValidationError:
        return None, None, None


def partial_date_year(value):
    """The year of a partial date, or None."""
    return read_partial_date(value)[0]


def partial_date_day(value):
    """The datetime.date of a partial date known to the day, or None."""
    year, month, day = read_partial_date(value)
    return datetime.date(year, month, day) if day else None


def partial_date_end(value):
    """The first partial date after the period a valid one covers, at the same precision, for `date < end`.

    '2003' -> '2004', '2003-12' -> '2004-01', '2003-09-30' -> '2003-10-01'; None after 9999, where
    there is no end to compare with. Computed rather than '2003' + a high character, so that it holds
    under any database collation.
    """
    year, month, day = parse_partial_date(value)
    try:
        if day:
            return (datetime.date(year, month, day) + datetime.timedelta(days=1)).isoformat()
    except OverflowError:
        return None
    if month:
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        return f"{year:04d}-{month:02d}" if year <= 9999 else None
    return f"{year + 1:04d}" if year < 9999 else None


def format_partial_date(value):
    """'2003-09-09' -> '9 September 2003', '2003-09' -> 'September 2003', '2003' -> '2003'."""
    if not value:
        return ""
    try:
        year, month, day = parse_partial_date(value)
    except ValidationError:
        return value
    if day:
        return format_date(datetime.date(year, month, day), "j F Y")
    if month:
        return format_date(datetime.date(year, month, 1), "F Y")
    return str(year)


class PartialDateField(models.CharField):
    """A date known to the year, the month or the day, stored as ISO 8601 text.

    ISO text sorts chronologically ('2003' < '2003-09' < '2003-09-09'), so ordering,
    year and decade filters use an ordinary index.
    """

    description = "A date that may be known only to the year or the month"

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 10)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("help_text", "YYYY, YYYY-MM or YYYY-MM-DD: as precise as the sources allow.")
        super().__init__(*args, **kwargs)
        self.validators.append(validate_partial_date)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        if kwargs.get("max_length") == 10:
            del kwargs["max_length"]
        if kwargs.get("blank") is True:
            del kwargs["blank"]
        return name, path, args, kwargs

    def formfield(self, **kwargs):
        kwargs.setdefault(
            "widget", forms.TextInput(attrs={"placeholder": "YYYY-MM-DD", "size": 12})
        )
        return super().formfield(**kwargs)


def length_parts(value):
    """A timedelta's whole hours, minutes and seconds."""
    hours, rest = divmod(int(value.total_seconds()), 3600)
    return (hours, *divmod(rest, 60))


def format_length(value):
    """A timedelta as people write song lengths: '4:05', '53:48', '1:02:03'."""
    if value is None:
        return ""
    hours, minutes, seconds = length_parts(value)
    if hours:
        return f"{hours}:{minutes:02d}:{seconds:02d}"
    return f"{minutes}:{seconds:02d}"


def format_iso_length(value):
    """A timedelta as ISO 8601 (PT4M5S), for <time datetime> and structured data."""
    if value is None:
        return ""
    hours, minutes, seconds = length_parts(value)
    return "PT" + (f"{hours}H" if hours else "") + (f"{minutes}M" if minutes else "") + f"{seconds}S"


class LengthFormField(forms.DurationField):
    """Accepts and shows lengths as m:ss (or h:mm:ss), the way sleeves print them."""

    default_error_messages = {
        "invalid": "Enter a length as m:ss or h:mm:ss, for example 4:05.",
    }

    def prepare_value(self, value):
        if isinstance(value, datetime.timedelta):
            return format_length(value)
        return value

    def to_python(self, value):
        value = (value or "").strip() if isinstance(value, str) else value
        # Minutes and seconds after a colon stop at 59: "4:75" is a typo, not 5:15.
        if isinstance(value, str) and value and not re.fullmatch(r"\d+(:[0-5]?\d){0,2}", value):
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return super().to_python(value)


class LengthField(models.DurationField):
    """A playing time; entered and displayed as m:ss.

    At most 100 hours: longer is a typo ("4503:00" for 45:03), and SQLite's integer column, which holds the
    microseconds, overflows (an OverflowError, a 500) a little past 2.5 million hours.
    """

    default_validators = [
        MaxValueValidator(datetime.timedelta(hours=100), "A length is at most 100 hours (100:00:00)."),
    ]

    def formfield(self, **kwargs):
        kwargs.setdefault("form_class", LengthFormField)
        kwargs.setdefault("widget", forms.TextInput(attrs={"placeholder": "m:ss", "size": 8}))
        return super().formfield(**kwargs)


WEB_URL_VALIDATOR = URLValidator(schemes=["http", "https"])


class WebURLFormField(forms.URLField):
    """The form's side of WebURLField: ftp:// and the like are refused as the editor types, not only on save."""

    default_validators = [WEB_URL_VALIDATOR]


class WebURLField(models.URLField):
    """A web address: http or https only (never javascript: or data:, as it becomes a link); typed without a
    scheme, https:// is assumed."""

    default_validators = [WEB_URL_VALIDATOR]

    def formfield(self, **kwargs):
        kwargs.setdefault("form_class", WebURLFormField)
        kwargs.setdefault("assume_scheme", "https")
        return super().formfield(**kwargs)
