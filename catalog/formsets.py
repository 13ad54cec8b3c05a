"""Inline rows that trade unique values: saved in an order that works, or refused with a message."""

from django.core.exceptions import ValidationError
from django.db import connection, models
from django.forms.models import BaseInlineFormSet


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
        for fields in self.key_fields():
            if not self.parkable(fields) and self.save_order(fields) is None:
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

    # Which keys --------------------------------------------------------------------------------------

    def key_fields(self):
        """The fields, besides the parent, of each unique constraint that includes the parent."""
        keys = [constraint.fields for constraint in self.model._meta.constraints
                if isinstance(constraint, models.UniqueConstraint) and constraint.fields and not constraint.condition]
        keys += list(self.model._meta.unique_together)
        return [tuple(name for name in key if name != self.fk.name) for key in keys if self.fk.name in key]

    def parkable(self, fields):
        return any(self.number_field(name) for name in fields)

    def number_field(self, name):
        field = self.model._meta.get_field(name)
        return field if isinstance(field, models.IntegerField) and not field.is_relation else None

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
        for fields in self.key_fields():
            if not self.parkable(fields):
                moving += [form for form in self.save_order(fields) or () if form not in moving]
        return deleted + moving + [form for form in self.initial_forms if form not in deleted + moving]

    def park(self):
        """Move rows whose numbered key changes onto free numbers (NULL where allowed), out of everyone's way."""
        for fields in self.key_fields():
            numbers = [field for field in map(self.number_field, fields) if field]
            if not numbers:
                continue
            field = numbers[-1]  # The position rather than the disc: (disc, position) parks on a free position.
            moving = [form.instance.pk for form in self.moving(fields)]
            if not moving:
                continue
            if field.null:
                self.model._default_manager.filter(pk__in=moving).update(**{field.name: None})
                continue
            siblings = self.model._default_manager.filter(**{self.fk.name: self.instance})
            taken = set(siblings.values_list(field.name, flat=True))
            taken |= {form.cleaned_data.get(field.name) for form in self.forms if hasattr(form, "cleaned_data")}
            highest = connection.ops.integer_field_range(field.get_internal_type())[1]
            free = (number for number in range(highest, 0, -1) if number not in taken)
            for pk in moving:
                self.model._default_manager.filter(pk=pk).update(**{field.name: next(free)})
