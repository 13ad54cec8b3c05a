"""Browsing the catalog with django-filter: the album list's and the track list's filters and orders.

Every filter takes one value from the query string (?genre=shoegaze&decade=2000&sort=-score) and every
value is validated by a form field, so a visitor who types garbage in the address bar gets a form error
on the page, never a 500. Each filter and ordering is backed by an index (see the models' Meta.indexes).
"""

import datetime

import django_filters as filters
from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db.models import F, Value
from django.db.models.functions import Lower, NullIf

from .fields import LengthFormField
from .models import Album, AlbumType, Artist, Film, Genre, Label, Track, TrackArtist
from .models.base import live_q

NAME_MAX_LENGTH = 200


class FilterForm(forms.Form):
    """The form behind a FilterSet: one value per field, ranges the right way round.

    `ranges` pairs a lower and an upper bound field; the template sets each pair side by side.
    """

    ranges = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if "invalid_choice" in field.error_messages:
                # Django's message repeats the value, which may be long or a hand-typed fragment.
                field.error_messages["invalid_choice"] = "That is not one of the choices: pick one from the list."

    @property
    def applied(self):
        """Whether the visitor asked for anything but the unfiltered list in its default order."""
        return any(self.data.get(name) for name in self.fields)

    @property
    def paired_fields(self):
        return {name for pair in self.ranges for name in pair}

    def clean(self):
        cleaned_data = super().clean()
        getlist = getattr(self.data, "getlist", None)
        for name in self.fields:
            # A form on the page sends each field once; twice is a hand-made address, and picking one
            # value silently would show results the visitor did not ask for.
            if getlist and len(getlist(name)) > 1 and name not in self.errors:
                self.add_error(name, "Give one value only.")
        for low, high in self.ranges:
            bottom, top = cleaned_data.get(low), cleaned_data.get(high)
            if isinstance(bottom, str) and isinstance(top, str):
                # Partial dates compare as precisely as both are known: 2003-09 to 2003 is a range.
                precision = min(len(bottom), len(top))
                bottom, top = bottom[:precision], top[:precision]
            if bottom not in (None, "") and top not in (None, "") and bottom > top:
                self.add_error(high, f"This is less than “{self.fields[low].label}”: swap them round.")
        return cleaned_data


class SortFilter(filters.ChoiceFilter):
    """One of a few named orders: ?sort=-score. The first is the default.

    Rather than django-filter's OrderingFilter (field names, several at once), each choice is a whole
    order_by(): its tie-breakers and where empty values go (last, on both databases) are part of it.
    """

    def __init__(self, orderings, **kwargs):
        self.orderings = {value: ordering for value, (_label, ordering) in orderings.items()}
        self.default = next(iter(orderings))
        kwargs.setdefault("label", "Sort by")
        kwargs.setdefault("empty_label", None)
        super().__init__(choices=[(value, label) for value, (label, _ordering) in orderings.items()], **kwargs)

    def add_orderings(self, orderings):
        """More choices, after the first ones: before the form is built (a FilterSet builds it when first asked)."""
        self.orderings |= {value: ordering for value, (_label, ordering) in orderings.items()}
        self.extra["choices"] = [*self.extra["choices"], *((value, label) for value, (label, _o) in orderings.items())]

    def filter(self, qs, value):
        return qs.order_by(*self.orderings[value or self.default])


class IntegerFilter(filters.NumberFilter):
    """A whole number within the bounds given to the field (min_value, max_value): no decimals."""

    field_class = forms.IntegerField

    def get_max_validator(self):
        return None  # The field's own max_value applies.


class LengthFilter(filters.Filter):
    """A playing time typed as m:ss, as the site prints them."""

    field_class = LengthFormField


def named(queryset, field, value):
    """Rows whose `field` equals `value` ignoring case; matches the Lower(field) indexes."""
    return queryset.alias(name_key=Lower(field)).filter(name_key=Lower(Value(value)))


def crediting(name):
    """Track credits of the artist called `name`, or of a group they belong to."""
    return TrackArtist.objects.crediting(named(Artist.objects.all(), "name", name))


def decade_choices():
    """Decades of recorded film music, newest first: 1930s to this one."""
    this_decade = datetime.date.today().year // 10 * 10
    return [(str(decade), f"{decade}s") for decade in range(this_decade, 1920, -10)]


def name_filter(label, help_text, method):
    return filters.CharFilter(
        label=label, help_text=help_text, method=method, max_length=NAME_MAX_LENGTH,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )


def year_filter(label, method, example):
    return IntegerFilter(
        label=label, method=method, min_value=1000, max_value=9999, help_text=f"e.g. {example}",
        error_messages={
            "invalid": "Enter a year as four digits, e.g. 2003.",
            "min_value": "Enter a year between 1000 and 9999.",
            "max_value": "Enter a year between 1000 and 9999.",
        },
    )


class AlbumFilterForm(FilterForm):
    ranges = [("year_min", "year_max")]


class AlbumFilter(filters.FilterSet):
    """The album list: what it is, who made it and when; other apps add theirs (what critics thought of it).

    `extensions` are the catalog's page extensions (catalog/views.py, page_extensions()): each adds what its
    filters, orders and the album cards read to the queryset, its filters before the sort, its orders after ours.
    """

    film = name_filter("Film", "The film’s full title, e.g. Lost in Translation.", "filter_film")
    artist = name_filter(
        "Artist", "Full name, e.g. Kevin Shields. Includes their groups.", "filter_artist"
    )
    genre = filters.ModelChoiceFilter(
        field_name="genres", to_field_name="slug", label="Genre", empty_label="Any genre",
        queryset=Genre.objects.filter(live_q("albums__")).distinct(),
    )
    label = filters.ModelChoiceFilter(
        field_name="label", to_field_name="slug", label="Label", empty_label="Any label",
        queryset=Label.objects.filter(live_q("albums__")).distinct(),
    )
    type = filters.ChoiceFilter(
        field_name="album_type", choices=AlbumType.choices, label="Type", empty_label="Any type"
    )
    decade = filters.ChoiceFilter(
        choices=decade_choices, method="filter_decade", label="Decade", empty_label="Any decade",
        help_text="Of the first release.",
    )
    year_min = year_filter("Year from", "filter_year_min", 2001)
    year_max = year_filter("Year to", "filter_year_max", 2005)
    sort = SortFilter({
        "title": ("Title (A–Z)", ["title", "id"]),
        "-release_date": ("Newest first", [F("release_date").desc(), "title", "id"]),
        # Undated albums last, not first: NullIf turns "" into NULL (album_status_dated_idx).
        "release_date": ("Oldest first", [NullIf("release_date", Value("")).asc(nulls_last=True), "title", "id"]),
    })

    class Meta:
        model = Album
        fields = []
        form = AlbumFilterForm

    def __init__(self, data=None, queryset=None, *, extensions=(), **kwargs):
        if queryset is None:
            queryset = Album.objects.published().for_cards()
        for extension in extensions:
            queryset = extension.albums_for_list(queryset)
        super().__init__(data, queryset, **kwargs)
        sort = self.filters.pop("sort")
        for extension in extensions:
            for name, added in extension.album_filters().items():
                added.model, added.parent = queryset.model, self  # as FilterSet.__init__ does for its own
                self.filters[name] = added
            sort.add_orderings(extension.album_orderings())
        self.filters["sort"] = sort

    def filter_film(self, queryset, name, value):
        return queryset.filter(film__in=named(Film.objects.all(), "title", value))

    def filter_artist(self, queryset, name, value):
        # A subquery rather than a join through tracks: no duplicate albums, so no DISTINCT.
        return queryset.filter(pk__in=crediting(value).values("track__album"))

    def filter_decade(self, queryset, name, value):
        decade = int(value)
        return queryset.filter(release_date__gte=str(decade), release_date__lt=str(decade + 10))

    def filter_year_min(self, queryset, name, value):
        return queryset.filter(release_date__gte=f"{value:04d}")

    def filter_year_max(self, queryset, name, value):
        # ISO text sorts by date: anything in the year sorts before the next one, and "" (undated) before all.
        queryset = queryset.filter(release_date__gt="")
        return queryset.filter(release_date__lt=f"{value + 1:04d}") if value < 9999 else queryset


def length_filter(label, lookup_expr, example):
    return LengthFilter(
        field_name="length", lookup_expr=lookup_expr, label=label, help_text=f"m:ss, e.g. {example}",
        validators=[MinValueValidator(datetime.timedelta(0)), MaxValueValidator(datetime.timedelta(hours=10))],
        widget=forms.TextInput(attrs={"size": 8, "autocomplete": "off"}),
    )


class TrackFilterForm(FilterForm):
    ranges = [("length_min", "length_max")]


class TrackFilter(filters.FilterSet):
    """The track list: who performs, on which album, how long."""

    artist = name_filter(
        "Artist", "Full name, e.g. Kevin Shields. Includes their groups.", "filter_artist"
    )
    album = name_filter("Album", "The album’s full title.", "filter_album")
    length_min = length_filter("Length from", "gte", "3:00")
    length_max = length_filter("Length to", "lte", "4:30")
    sort = SortFilter({
        "album": ("Album (A–Z)", ["album__title", "album_id", "disc", "position"]),
        "-length": ("Longest first", [F("length").desc(nulls_last=True), "title", "id"]),
        "length": ("Shortest first", [F("length").asc(nulls_last=True), "title", "id"]),
    })

    class Meta:
        model = Track
        fields = []
        form = TrackFilterForm

    def __init__(self, data=None, queryset=None, **kwargs):
        if queryset is None:
            queryset = Track.objects.published().for_listing()
        super().__init__(data, queryset, **kwargs)

    def filter_artist(self, queryset, name, value):
        return queryset.filter(pk__in=crediting(value).values("track"))

    def filter_album(self, queryset, name, value):
        return queryset.filter(album__in=named(Album.objects.all(), "title", value))

