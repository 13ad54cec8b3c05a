"""Browsing reviews with django-filter: by publication, critic, score and date (see catalog/filters.py)."""

import django_filters as filters
from django import forms
from django.db.models import F

from catalog.fields import partial_date_end, validate_partial_date
from catalog.filters import FilterForm, IntegerFilter, SortFilter

from .models import Critic, Publication, Review


def score_filter(label, lookup_expr):
    return IntegerFilter(
        field_name="score", lookup_expr=lookup_expr, label=label, min_value=0, max_value=100,
        help_text="0 to 100",
        error_messages={
            "invalid": "Enter a whole number from 0 to 100.",
            "min_value": "Enter a score from 0 to 100.",
            "max_value": "Enter a score from 0 to 100.",
        },
    )


def date_filter(label, method, example):
    return filters.CharFilter(
        label=label, method=method, max_length=10, validators=[validate_partial_date],
        help_text=f"e.g. {example}",
        widget=forms.TextInput(attrs={"size": 10, "autocomplete": "off"}),
    )


class ReviewFilterForm(FilterForm):
    ranges = [("score_min", "score_max"), ("date_from", "date_to")]


class ReviewFilter(filters.FilterSet):
    publication = filters.ModelChoiceFilter(
        to_field_name="slug", queryset=Publication.objects.all(), label="Publication",
        empty_label="Any publication",
    )
    critic = filters.ModelChoiceFilter(
        to_field_name="slug", queryset=Critic.objects.all(), label="Critic", empty_label="Any critic"
    )
    score_min = score_filter("Score from", "gte")
    score_max = score_filter("Score to", "lte")
    date_from = date_filter("Date from", "filter_date_from", "2003-09")
    date_to = date_filter("Date to", "filter_date_to", "2004")
    sort = SortFilter({
        "-date": ("Latest first", ["-date", "-created_at"]),
        "-score": ("Highest score", [F("score").desc(nulls_last=True), "-date", "-created_at"]),
        "score": ("Lowest score", [F("score").asc(nulls_last=True), "-date", "-created_at"]),
    })

    class Meta:
        model = Review
        fields = []
        form = ReviewFilterForm

    def __init__(self, data=None, queryset=None, **kwargs):
        if queryset is None:
            queryset = Review.objects.published().for_listing().latest_first()
        super().__init__(data, queryset, **kwargs)

    def filter_date_from(self, queryset, name, value):
        return queryset.filter(date__gte=value)

    def filter_date_to(self, queryset, name, value):
        # Partial dates are ISO text: everything within the period sorts before the period after it.
        end = partial_date_end(value)
        queryset = queryset.filter(date__gt="")
        return queryset.filter(date__lt=end) if end else queryset
