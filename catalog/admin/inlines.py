"""The inline rows of the admin's pages: compact, and saved in an order that works when they trade places.

A row's place is where a unique constraint of its model holds a number (a track's position on its disc, an
entry's rank in its list). Rows that trade places are parked first: moved onto free numbers out of everyone's
way, from where each can go straight to its new place. The inline formsets park the rows they move; the
history's revert (history.py) parks, the same way, the rows it puts back.
"""

import operator
from functools import reduce

from django import forms
from django.contrib.admin.widgets import RelatedFieldWidgetWrapper
from django.core.exceptions import ValidationError
from django.db import connection, models
from django.db.models import Q
from django.forms.models import BaseInlineFormSet

from ..models import Track


def unique_keys(model):
    """The fields of each unique constraint of the model that always applies (and of its unique_together)."""
    keys = [constraint.fields for constraint in model._meta.constraints
            if isinstance(constraint, models.UniqueConstraint) and constraint.fields and not constraint.condition]
    return [tuple(key) for key in keys + list(model._meta.unique_together)]


def place_field(model, key):
    """The number in a unique key that a row is parked on, or None: the position rather than the disc."""
    numbers = [field for field in map(model._meta.get_field, key)
               if isinstance(field, models.IntegerField) and not field.is_relation]
    return numbers[-1] if numbers else None


def park(model, pks, key, also_taken=()):
    """Move these rows onto numbers of the key's place field that no row of their parents holds (nor any of
    `also_taken`), from the top of the column's range down; returns {pk: number}."""
    field = place_field(model, key)
    rows = model._base_manager.filter(pk__in=pks)
    parents = [name for name in key if model._meta.get_field(name).is_relation]
    siblings = model._base_manager.filter(**{f"{name}__in": rows.values(name) for name in parents})
    taken = set(siblings.values_list(field.attname, flat=True)) | set(also_taken)
    highest = connection.ops.integer_field_range(field.get_internal_type())[1]
    free = (number for number in range(highest, 0, -1) if number not in taken)
    parked = {}
    for pk in pks:
        parked[pk] = next(free)
        model._base_manager.filter(pk=pk).update(**{field.attname: parked[pk]})
    return parked


def park_places(rows):
    """Park rows of every model on each of their places ({model: [pk, ...]}); returns what it moved."""
    return [(model, place_field(model, key), park(model, pks, key))
            for model, pks in rows.items() for key in unique_keys(model) if place_field(model, key)]


def still_parked(parked):
    """Whether any row parked by park_places() is still on the number it was parked on."""
    return any(
        model._base_manager.filter(
            reduce(operator.or_, (Q(pk=pk, **{field.attname: number}) for pk, number in numbers.items()))
        ).exists()
        for model, field, numbers in parked if numbers
    )


class UniqueKeysInlineFormSet(BaseInlineFormSet):
    """Saves any rearrangement of the rows' unique keys the formset accepted, or refuses it in clean().

    The formset checks the keys the rows will have (validate_unique); Django then saves the rows one at a
    time, which can collide midway: track 3 becomes 4 while 4 is still there, a track moves to disc 2
    where another is leaving, a review takes the publication another review of the album gives up. So:
    rows that go are deleted first; rows whose key holds a number (position, rank) are first parked on a
    free number; the others are saved after the rows whose keys they take. Rows that trade keys holding
    no number (two credits swapping artists) cannot be saved in any order: that is a form error.
    """

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        for key, fields in self.keys():
            if not place_field(self.model, key) and self.save_order(fields) is None:
                labels = ", ".join(str(self.model._meta.get_field(name).verbose_name) for name in fields)
                raise ValidationError(
                    f"Rows here trade their {labels} with each other, which cannot be saved in one go: "
                    "save one of the changes first, then the other."
                )

    def save(self, commit=True):
        if commit and self.is_bound:
            self.park()
            self.saving_order = self.ordered_forms()
        try:
            return super().save(commit)
        finally:
            self.saving_order = None

    @property
    def initial_forms(self):
        """While saving, the existing rows in the order they can be saved in (Django saves them in this order).

        self.forms keeps its order: deleted_forms and the admin's messages find rows by their index in it.
        """
        return getattr(self, "saving_order", None) or super().initial_forms

    def keys(self):
        """(key, its fields besides the parent) for each unique key of the rows that includes the parent."""
        return [(key, tuple(name for name in key if name != self.fk.name))
                for key in unique_keys(self.model) if self.fk.name in key]

    # Rows on the move --------------------------------------------------------------------------------

    def moving(self, fields):
        """{form: (key before, key after)} of the kept rows whose key changes."""
        forms = [form for form in self.initial_forms if form.instance.pk and not self._should_delete_form(form)]
        attnames = [self.model._meta.get_field(name).attname for name in fields]
        before = {row[0]: row[1:] for row in self.model._default_manager.filter(
            pk__in=[form.instance.pk for form in forms]).values_list("pk", *attnames)}
        keys = {form: (before.get(form.instance.pk), tuple(getattr(form.instance, name) for name in attnames))
                for form in forms}
        return {form: key for form, key in keys.items() if key[0] != key[1]}

    def save_order(self, fields):
        """The moving rows in an order where each takes a key only once its holder has left it; None for a cycle."""
        pending = self.moving(fields)
        order = []
        while pending:
            leaving = {before for before, _after in pending.values()}
            ready = [form for form, (_before, after) in pending.items() if after not in leaving]
            if not ready:
                return None
            order += ready
            for form in ready:
                del pending[form]
        return order

    def ordered_forms(self):
        """Deleted rows first (they free their keys), then the moving rows in a workable order, then the rest."""
        deleted = [form for form in self.initial_forms if self._should_delete_form(form)]
        moving = []
        for key, fields in self.keys():
            if not place_field(self.model, key):
                moving += [form for form in self.save_order(fields) or () if form not in moving]
        return deleted + moving + [form for form in self.initial_forms if form not in deleted + moving]

    def park(self):
        """Park the rows whose numbered key changes, on numbers neither a row nor this form holds."""
        for key, fields in self.keys():
            field = place_field(self.model, key)
            moving = [form.instance.pk for form in self.moving(fields)] if field else []
            if moving:
                posted = {form.cleaned_data.get(field.name) for form in self.forms if hasattr(form, "cleaned_data")}
                park(self.model, moving, key, also_taken=posted)


class CompactInline:
    """Inline rows an editor can scan: narrow number boxes, short notes, one add button.

    The pencil/cross/eye links Django puts beside every picker triple the width of
    a row of twenty tracks; editors reach those objects from their own pages.
    """

    extra = 0
    formset = UniqueKeysInlineFormSet
    # Sized by classes in css/admin.css: the Content-Security-Policy forbids style attributes.
    formfield_overrides = {
        models.PositiveSmallIntegerField: {"widget": forms.NumberInput(attrs={"class": "compact-number"})},
        models.TextField: {"widget": forms.Textarea(attrs={"rows": 2, "cols": 40})},
    }

    class Media:
        css = {"all": ["css/admin.css"]}

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if field is not None and isinstance(field.widget, RelatedFieldWidgetWrapper):
            field.widget.can_change_related = field.widget.can_delete_related = False
            field.widget.can_view_related = False
        return field


class AlbumTrackChoicesMixin:
    """Inline pickers of tracks offer only the tracks of the album being edited."""

    def get_formset(self, request, obj=None, **kwargs):
        # The album itself, not the URL: the history's revert and recover pages have other URLs.
        self.album = obj  # An inline instance serves one request.
        return super().get_formset(request, obj, **kwargs)

    def album_tracks(self, request):
        album = getattr(self, "album", None)
        return Track.objects.filter(album=album) if album is not None and album.pk else Track.objects.none()

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "track":
            kwargs["queryset"] = self.album_tracks(request)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "tracks":
            kwargs["queryset"] = self.album_tracks(request)
            kwargs["widget"] = forms.SelectMultiple(attrs={"size": 4, "class": "compact-select"})
        return super().formfield_for_manytomany(db_field, request, **kwargs)
