"""Lengths are typed as sleeves print them; a seconds or minutes part over 59 is a typo, not a carry."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from catalog.fields import LengthFormField


@pytest.mark.parametrize(
    ("typed", "expected"),
    [("4:05", datetime.timedelta(minutes=4, seconds=5)), ("53:48", datetime.timedelta(minutes=53, seconds=48)),
     ("1:02:03", datetime.timedelta(hours=1, minutes=2, seconds=3)), (" 0:59 ", datetime.timedelta(seconds=59))],
)
def test_lengths_as_printed_are_accepted(typed, expected):
    assert LengthFormField().clean(typed) == expected


@pytest.mark.parametrize("typed", ["4:75", "4:60", "1:60:00", "1:02:99", "4:5x", "-4:05", "4::05"])
def test_impossible_lengths_are_refused_with_the_format_in_the_message(typed):
    with pytest.raises(ValidationError, match="m:ss"):
        LengthFormField().clean(typed)
