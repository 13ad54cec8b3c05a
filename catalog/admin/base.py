"""What every admin class of both apps is built on: hand-made ids are form errors, never 500s.

Browsers never post these values; a hand-made request can, and the fuzz tests (tests/fuzz/) did. Django (5.2)
fails on two of them while it checks or redraws a form, so the relation fields of our admins get a widget and
a form field that answer them, through the admin's own formfield_for_foreignkey/formfield_for_manytomany:

- an autocomplete field posted "abc" for an id: the refused form, drawn again, looked the posted values up by
  key and raised ValueError; the widget now labels only the values that can be keys (the field still
  refuses the others, with its own "Select a valid choice");
- a multiple choice posted an id beyond the column's range: SQLite cannot bind an integer past 64 bits, and
  checking ?genres=99999999999999999999 raised OverflowError where an id that does not exist is "Select a
  valid choice".

A NUL in an admin list's query string is answered before any of this, by
soundtrack_site/admin_input.py's middleware.
"""

from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.core.exceptions import ValidationError
from django.forms import ModelMultipleChoiceField


def is_key(relation, value):
    """Whether `value` can be a key of the model `relation` (a ForeignKey or ManyToManyField) points to."""
    model = relation.remote_field.model
    target = model._meta.get_field(getattr(relation.remote_field, "field_name", None) or model._meta.pk.name)
    try:
        target.clean(value, None)  # to_python and the column's range: "abc" and 10**30 are not ids
    except ValidationError:
        return False
    return True


class KeysOnlyMixin:
    """An autocomplete widget that looks up, to label them, only the posted values that can be keys."""

    def optgroups(self, name, value, attr=None):
        return super().optgroups(name, [each for each in value if is_key(self.field, each)], attr)


class KeysOnlyAutocompleteSelect(KeysOnlyMixin, AutocompleteSelect):
    pass


class KeysOnlyAutocompleteSelectMultiple(KeysOnlyMixin, AutocompleteSelectMultiple):
    pass


class InRangeModelMultipleChoiceField(ModelMultipleChoiceField):
    """A multiple choice for which an id past the database's integers is a choice that does not exist."""

    def clean(self, value):
        try:
            return super().clean(value)
        except OverflowError:
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice",
                                  params={"value": "that number"}) from None


class CheckedRelationsMixin:
    """Relation fields that turn hand-made ids into form errors (see the module's docstring)."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = KeysOnlyAutocompleteSelect(db_field, self.admin_site, using=kwargs.get("using"))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = KeysOnlyAutocompleteSelectMultiple(db_field, self.admin_site, using=kwargs.get("using"))
        kwargs.setdefault("form_class", InRangeModelMultipleChoiceField)
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class ModelAdmin(CheckedRelationsMixin, admin.ModelAdmin):
    pass


class TabularInline(CheckedRelationsMixin, admin.TabularInline):
    pass


class StackedInline(CheckedRelationsMixin, admin.StackedInline):
    pass
