"""Links to a row whose slug no URL can hold: left out and logged, so that one broken row does not take down
every page that links it.

The database refuses such slugs (catalog/models/constraints.py), but a row can still get in around it (an old backup
restored, a SQL console with the checks off). Reversing its URL raises NoReverseMatch, and without this the
home page, every list and every page naming the row would answer 500. Two ways in, one rule:
`reverse_or_empty()` for get_absolute_url(), and the `{% url %}` tag (catalog/templatetags/links.py). Both
give "" for such a link; the sitemaps and feeds leave out a row whose address is empty (`is_page_address`).
A NoReverseMatch whose arguments are all fine is a mistake in the code, and still raises.
"""

import logging
import re
from urllib.parse import urlsplit

from django.urls import NoReverseMatch, reverse

from catalog.models.constraints import SLUG_PATTERN

logger = logging.getLogger(__name__)

URL_VALUE = re.compile(SLUG_PATTERN)


def leave_out(error, viewname, args=(), kwargs=None):
    """An empty link when it failed because an argument holds what no URL can (logged); else `error` again."""
    unusable = [value for value in [*args, *(kwargs or {}).values()] if not URL_VALUE.search(str(value))]
    if not unusable:
        raise error
    logger.warning(
        "Left out a link to %s: %s cannot be part of its URL. Correct the row's slug in the admin.",
        viewname, ", ".join(repr(value) for value in unusable),
    )
    return ""


def reverse_or_empty(viewname, args=(), kwargs=None):
    """reverse(), or "" (and a warning in the log) when the row's slug is not one a URL can hold."""
    try:
        return reverse(viewname, args=args, kwargs=kwargs)
    except NoReverseMatch as error:
        return leave_out(error, viewname, args, kwargs)


def is_page_address(url):
    """False for the address of a row without a page: its empty path made absolute is the bare site."""
    return bool(urlsplit(url).path)
