"""Two editors, one item: a save made from a form that someone else's save has overtaken is refused.

The change form carries the item's `updated_at` as it was when the form was opened, in a hidden
field. On save the admin locks the item's row (SELECT … FOR NO KEY UPDATE inside the admin's own
transaction; SQLite's IMMEDIATE transactions serialize writers the same way) before it reads it,
so the check and the save cannot be separated by another save: the first editor's changes stand,
the second gets a form error and nothing of theirs is written.

Every save of the change form saves the item itself, so an edit to inline rows alone (a track,
a credit) moves `updated_at` too; admin actions move it through HistoryAdmin.rows_changed_by_action.
"""

import datetime

from django import forms
from django.contrib.admin.utils import flatten_fieldsets, unquote
from django.core.exceptions import ValidationError
from django.db import router, transaction
from django.utils import timezone
from django.utils.formats import date_format
from reversion.models import Version

TOKEN = "edit_version"
_EXPECTED = "_edit_version_expected"  # On the request: the version a revert form must come back with.

CONFLICT = (
    "This {item} was changed by {who} at {when} after you opened it. Your changes were not saved: "
    "reload the page to see the current version and make your changes again."
)


def conflict_checked(form_class, expected, describe_conflict):
    """The admin form class, with the hidden version token and the check of it."""

    class ConflictCheckedForm(form_class):
        edit_version = forms.CharField(widget=forms.HiddenInput, required=False)

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.fields[TOKEN].initial = expected

        def clean(self):
            cleaned_data = super().clean()
            opened = self.cleaned_data.get(TOKEN)
            if opened != expected:
                raise ValidationError(describe_conflict(opened), code="edit_conflict")
            return cleaned_data

    ConflictCheckedForm.__name__ = form_class.__name__
    return ConflictCheckedForm


class EditConflictMixin:
    """For the ModelAdmin of a model with an `updated_at` that every save moves (auto_now)."""

    version_field = "updated_at"

    def version_of(self, obj):
        return getattr(obj, self.version_field).isoformat()

    def expected_version(self, request, obj):
        """The token a change form of obj must come back with; None where no check applies."""
        if obj is None or obj.pk is None or not self.has_change_permission(request, obj):
            return None
        return getattr(request, _EXPECTED) if hasattr(request, _EXPECTED) else self.version_of(obj)

    def current_version(self, object_id, from_field=None, lock=False):
        """The stored token of the row (None if there is none), its row locked until the transaction ends."""
        field = self.model._meta.pk if from_field is None else self.model._meta.get_field(from_field)
        rows = self.model._base_manager.select_for_update(no_key=True) if lock else self.model._base_manager
        try:
            value = rows.filter(**{field.name: field.to_python(object_id)}).values_list(
                self.version_field, flat=True
            ).first()
        except (ValidationError, ValueError):
            return None
        return value.isoformat() if value is not None else None

    def get_object(self, request, object_id, from_field=None):
        # Lock before reading: what the form is checked against is then the last committed save.
        database = router.db_for_write(self.model)
        if request.method == "POST" and transaction.get_connection(database).in_atomic_block:
            self.current_version(object_id, from_field, lock=True)
        return super().get_object(request, object_id, from_field)

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if self.expected_version(request, obj) is None:
            return fieldsets
        return [*fieldsets, (None, {"fields": [TOKEN], "classes": ["hidden"]})]

    def get_form(self, request, obj=None, change=False, **kwargs):
        fields = kwargs.pop("fields") if "fields" in kwargs else flatten_fieldsets(self.get_fieldsets(request, obj))
        if fields is None:  # ModelAdmin.get_fields() asking which fields the model's form has.
            return super().get_form(request, obj, change, fields=None, **kwargs)
        form = super().get_form(request, obj, change, fields=[f for f in fields if f != TOKEN], **kwargs)
        expected = self.expected_version(request, obj)
        if expected is None:
            return form
        return conflict_checked(form, expected, lambda opened: self.conflict_message(obj, opened, expected))

    def conflict_message(self, obj, opened, current):
        """Who changed obj from the version the form was opened on (`opened`) to `current`, and when."""
        try:
            since = datetime.datetime.fromisoformat(opened)
        except (TypeError, ValueError):
            since = None
        if since is not None and timezone.is_naive(since):  # Not a token this form wrote.
            since = None
        latest = Version.objects.get_for_object(obj).select_related("revision__user").order_by("-pk").first()
        user = latest.revision.user if latest else None
        # The revision is dated when its request began, before the save it records.
        if user is None or since is None or latest.revision.date_created < since:
            who = "another editor"
        else:
            who = user.get_full_name() or user.get_username()
        when = date_format(timezone.localtime(datetime.datetime.fromisoformat(current)), "DATETIME_FORMAT")
        return CONFLICT.format(item=obj._meta.verbose_name, who=who, when=when)

    def revision_view(self, request, object_id, version_id, extra_context=None):
        # Reverting saves the item twice (the revert, then the form), so its form is checked
        # against the item as it was before the revert, read (and locked) here.
        with transaction.atomic(using=router.db_for_write(self.model)):
            current = self.current_version(unquote(object_id), lock=request.method == "POST")
            if current is not None:
                setattr(request, _EXPECTED, current)
            return super().revision_view(request, object_id, version_id, extra_context)

    def recover_view(self, request, version_id, extra_context=None):
        setattr(request, _EXPECTED, None)  # A deleted item has no one else's changes to lose.
        return super().recover_view(request, version_id, extra_context)

    def rows_changed_by_action(self, request, pks, description):
        self.model._base_manager.filter(pk__in=pks).update(**{self.version_field: timezone.now()})
        super().rows_changed_by_action(request, pks, description)
