"""Hypothesis strategies for hostile input: query strings for public pages, values for admin form fields.

Each strategy mixes values a page or form is meant to take with the ones it is not: any Unicode (control
characters and NUL included), digits of other scripts, numbers far beyond any column, empty values and
raw bytes that are not UTF-8. The form strategies read the field's own type and bounds, so they follow
the forms as they change.
"""

import string
from urllib.parse import quote_plus

from django import forms
from hypothesis import strategies as st

# Values that have broken number, date and length parsers somewhere.
EDGE_VALUES = [
    "", " ", "0", "-0", "-1", "00", "1.5", "1e309", "-1e309", "nan", "NaN", "inf", "Infinity", "0x10",
    "9" * 25, "-" + "9" * 25, "١٢٣", "٢٠٠٣", "²", "Ⅻ", "true", "None", "null", "[]", "{}", "%00", "\x00",
    "0:00", "99999999999:00", "1:99", "9999-12-31", "0000-00-00", "2003-02-30", "<script>alert(1)</script>",
    "' OR 1=1 --", "../../etc/passwd",
]

any_text = st.text(max_size=60)  # every code point but lone surrogates, which no HTTP client can send
huge_integers = st.integers(min_value=-(10**40), max_value=10**40).map(str)
partial_dates = st.from_regex(r"\A[0-9]{1,5}(-[0-9]{1,3}(-[0-9]{1,3})?)?\Z")
lengths = st.builds("{}:{:02d}".format, st.integers(0, 10**15), st.integers(0, 99))


# Characters that databases, parsers and templates treat specially: PostgreSQL refuses NUL in text.
TAINTS = ["\x00", "\x1f", "\u202e", "\ufeff", "\U0001f3b5", "'", "\\", "%", "<"]


def tainted(values):
    """A value with a troublesome character put in it somewhere."""
    return st.builds(
        lambda value, taint, cut: value[:cut] + taint + value[cut:], values, st.sampled_from(TAINTS),
        st.integers(0, 10),
    )


def hostile_values(plausible=()):
    """A query-string or form value: plausible ones for the field first, then anything; half of them tainted."""
    options = [st.sampled_from(EDGE_VALUES), any_text, huge_integers, partial_dates, lengths]
    if plausible:
        options.insert(0, st.sampled_from(list(plausible)))
    values = st.one_of(options)
    return st.one_of(values, tainted(values))


def query_strings(params):
    """A query string built from `params` ({name: plausible values}) and arbitrary names, repeats included.

    Names and values are text or raw bytes (percent-encoded as they are, so not always UTF-8).
    """
    names = st.one_of(st.sampled_from(sorted(params) or ["page"]), any_text, st.binary(max_size=8))
    values_for = {name: hostile_values(values) for name, values in params.items()}
    pair = names.flatmap(lambda name: st.tuples(st.just(name), values_for.get(name, hostile_values())))
    raw_value = st.binary(max_size=12)
    pairs = st.lists(st.one_of(pair, st.tuples(names, raw_value)), max_size=6)
    return pairs.map(lambda items: "&".join(f"{encode(name)}={encode(value)}" for name, value in items))


def encode(part):
    return quote_plus(part if isinstance(part, bytes) else part.encode())


# Admin forms ----------------------------------------------------------------------------------------


def form_field_values(name, field, choices=None):
    """What an editor, or a hand-made POST, could send for a bound form field: {html name: value}.

    `choices` are the values the field offers (for ModelChoiceFields, read once by the caller).
    Returns None for fields the fuzzer leaves as rendered (files, hidden bookkeeping).
    """
    if field.widget.is_hidden or isinstance(field, forms.FileField):
        return None
    if isinstance(field, forms.SplitDateTimeField):
        dates = st.one_of(st.dates().map(str), st.sampled_from(["9999-12-31", "0001-01-01"]), any_text)
        times = st.one_of(st.times().map(lambda t: t.strftime("%H:%M:%S")), any_text)
        return st.fixed_dictionaries({f"{name}_0": dates, f"{name}_1": times})
    if isinstance(field, forms.BooleanField):
        return st.sampled_from([{}, {name: "on"}])
    if isinstance(field, forms.ModelMultipleChoiceField):
        picks = st.lists(st.one_of(st.sampled_from(choices or ["1"]), hostile_values()), max_size=4)
        return picks.map(lambda values: {name: values})
    if isinstance(field, (forms.ChoiceField, forms.ModelChoiceField)):
        return single(name, hostile_values(choices or ()))
    if isinstance(field, forms.DecimalField):
        decimals = st.decimals(allow_nan=True, allow_infinity=True).map(str)
        return single(name, st.one_of(decimals, st.decimals(-200, 200, places=2).map(str), hostile_values()))
    if isinstance(field, forms.IntegerField):
        low = -(2**63) if field.min_value is None else field.min_value
        high = 2**63 if field.max_value is None else field.max_value
        near_bounds = st.integers(low - 2, high + 2).map(str)
        return single(name, st.one_of(st.integers(-2, 40).map(str), near_bounds, hostile_values()))
    if isinstance(field, forms.DurationField):
        return single(name, st.one_of(lengths, hostile_values()))
    if isinstance(field, forms.URLField):
        urls = st.builds("https://example.com/{}".format, st.text(alphabet=string.ascii_letters, max_size=10))
        schemes = st.sampled_from(["javascript:alert(1)", "ftp://example.com/", "//example.com", "http://"])
        return single(name, st.one_of(urls, schemes, hostile_values()))
    if isinstance(field, (forms.DateField, forms.DateTimeField)):
        return single(name, st.one_of(st.dates().map(str), hostile_values()))
    if isinstance(field, forms.CharField):
        limit = field.max_length or 300
        words = st.text(alphabet=string.ascii_lowercase + string.digits + " -", max_size=20)
        return single(name, st.one_of(hostile_values(), st.text(min_size=limit - 2, max_size=limit + 2), words))
    return single(name, hostile_values())


def single(name, values):
    return values.map(lambda value: {name: value})
