"""The admin's history of an item: who changed what and when, diffs, revert and recover.

django-reversion-compare's CompareVersionAdmin gives the history page (user, time, comment), the diff
between two versions, revert and the "Recover deleted" list. HistoryAdmin adds what those need to
be complete here: the state before an item's first change, the last state of what is deleted, the
changes made by admin actions, and the checks django-reversion leaves out before a revert or recover:
that the version is one of the admin's model, and that the user may save all it holds
(`revert_refusal`, which catalog/admin_permissions.py fills in).
"""

from functools import partial, wraps

import reversion
from django.contrib import messages
from django.contrib.admin.utils import quote, unquote
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from reversion.errors import RevertError
from reversion.models import Version
from reversion_compare.admin import CompareVersionAdmin

from .revisions import DELETED, FIRST_STATE, park_places, record_now, still_parked, without_history

_REFUSED = "_history_refused"  # On the request: why the version shown may not be saved.


class _RevertNotSavedError(Exception):
    def __init__(self, response):
        self.response = response


def record_deletions(request, objects):
    """Keep the last state of each object about to be deleted, for the "Recover deleted" list.

    One revision each: recovering reverts a whole revision, so a review deleted with others (or
    from the album page) comes back alone, not with the others (or the album as it was).
    """
    for obj in objects:
        if reversion.is_registered(type(obj)):
            record_now([obj], request.user, DELETED)


class HistoryAdmin(CompareVersionAdmin):
    compare_exclude = ["updated_at"]  # Moves with every save: noise in a diff.

    def change_view(self, request, object_id, form_url="", extra_context=None):
        # History starts with the item as it was, so the first change can be undone too. Nobody in
        # particular made that state (fixtures, an import): the revision has no user.
        if request.method == "POST":
            obj = self.get_object(request, unquote(object_id))
            if obj is not None and self.has_change_permission(request, obj):
                record_now(without_history([obj]), None, FIRST_STATE)
        return super().change_view(request, object_id, form_url, extra_context)

    def compare_view(self, request, object_id, extra_context=None):
        # reversion-compare checks no permission of its own: the diff is for those who may see the history.
        obj = self.get_object(request, unquote(object_id))
        if obj is not None and not self.has_view_or_change_permission(request, obj):
            raise PermissionDenied
        return super().compare_view(request, object_id, extra_context)

    def history_version(self, version_id, object_id=None):
        """The version, if it is one of this admin's model (and of the object): 404 otherwise.

        django-reversion looks a version up by its id alone (and the object's id, which another model's
        version can share): its revision would be reverted whatever it holds.
        """
        versions = Version.objects.get_for_model(self.model)
        if object_id is not None:
            versions = versions.filter(object_id=object_id)
        return get_object_or_404(versions, pk=version_id)

    def revert_refusal(self, request, revision, lock=False):
        """Why the user may not save this revision (revert to it, recover from it), or None if they may.

        `lock`: the answer must hold until the transaction ends (the rows it read stay locked).
        """
        return None

    def has_change_permission(self, request, obj=None):
        # A version the user may not save is shown as it was, with nothing to save.
        return not hasattr(request, _REFUSED) and super().has_change_permission(request, obj)

    def revision_view(self, request, object_id, version_id, extra_context=None):
        version = self.history_version(version_id, unquote(object_id))
        view = partial(super().revision_view, request, object_id, version_id, extra_context)
        return self._version_form(request, version, view, self._admin_url("history", quote(version.object_id)))

    def recover_view(self, request, version_id, extra_context=None):
        version = self.history_version(version_id)
        view = partial(super().recover_view, request, version_id, extra_context)
        return self._version_form(request, version, view, self._admin_url("recoverlist"))

    def _version_form(self, request, version, view, back):
        """The revert or recover form of a version (`view`), if the user may save it; nothing kept but the save."""
        saving = request.method == "POST"
        try:
            with transaction.atomic(using=version.db):
                refused = self.revert_refusal(request, version.revision, lock=saving)
                if refused and saving:
                    return self.refused_response(request, version, refused, back)
                if refused:
                    setattr(request, _REFUSED, refused)
                    messages.warning(request, refused)
                parked = park_places(version.revision)
                response = view()
                # Showing a version, a refused form or a failed revert keeps nothing: nor may the parking.
                if still_parked(parked):
                    raise _RevertNotSavedError(response)
        except _RevertNotSavedError as undo:
            return undo.response
        except RevertError as error:  # A version the models can no longer read: as django-reversion answers it.
            messages.error(request, str(error))
            return redirect(back)
        return response

    def refused_response(self, request, version, reason, back):
        """403, saying why; nothing has been written."""
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": f"Cannot save this version of “{version.object_repr}”",
            "reason": reason,
            "back": back,
        }
        return TemplateResponse(request, "admin/history_refused.html", context, status=403)

    def _admin_url(self, view, *args):
        return reverse(f"{self.admin_site.name}:{self.opts.app_label}_{self.opts.model_name}_{view}", args=args)

    def delete_model(self, request, obj):
        record_deletions(request, [obj])
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        record_deletions(request, queryset)
        super().delete_queryset(request, queryset)

    def save_formset(self, request, form, formset, change):
        # Not formset.deleted_forms: it caches form indexes, which a formset may reorder as it saves.
        deleted = [f.instance for f in formset.initial_forms if f.instance.pk and formset._should_delete_form(f)]
        record_deletions(request, deleted)
        super().save_formset(request, form, formset, change)

    def get_actions(self, request):
        actions = super().get_actions(request)
        return {
            name: (func if name == "delete_selected" else self._recorded(func, description), name, description)
            for name, (func, name, description) in actions.items()
        }

    def _recorded(self, action, description):
        """The action, recording a revision of every selected item it changes (update() tells nobody)."""
        fields = ["pk", *(field.attname for field in self.model._meta.concrete_fields)]

        @wraps(action)
        def recorded(modeladmin, request, queryset):
            before = {row[0]: row for row in queryset.values_list(*fields)}
            manager = self.model._base_manager
            record_now(without_history(list(manager.filter(pk__in=before))), None, FIRST_STATE)
            response = action(modeladmin, request, queryset)
            changed = [row[0] for row in manager.filter(pk__in=before).values_list(*fields) if row != before[row[0]]]
            if changed:
                self.rows_changed_by_action(request, changed, str(description))
            return response

        return recorded

    def rows_changed_by_action(self, request, pks, description):
        with reversion.create_revision():
            reversion.set_user(request.user)
            reversion.set_comment(description)
            for obj in self.model._base_manager.filter(pk__in=pks):
                reversion.add_to_revision(obj)
