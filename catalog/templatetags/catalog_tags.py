"""Filters that format music data for people."""

from django import template

from catalog.fields import format_length, format_partial_date

register = template.Library()


@register.filter
def partial_date(value):
    """'2003-09-09' -> '9 September 2003'; '2003-09' -> 'September 2003'."""
    return format_partial_date(value)


@register.filter
def length(value):
    """A timedelta as m:ss or h:mm:ss."""
    return format_length(value)


@register.filter
def iso_duration(value):
    """A timedelta as ISO 8601 (PT4M5S), for <time datetime> and structured data."""
    if value is None:
        return ""
    total = int(value.total_seconds())
    hours, rest = divmod(total, 3600)
    minutes, seconds = divmod(rest, 60)
    return "PT" + (f"{hours}H" if hours else "") + (f"{minutes}M" if minutes else "") + f"{seconds}S"
