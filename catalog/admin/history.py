"""The admin's history of an item: what a version holds, who changed what and when, diffs, revert and recover.

django-reversion keeps the versions: each model is registered here with what its versions follow (an album
every row its admin page edits), by register() and follow(), which the reviews app calls for its own
models and for the reception an album's page edits. django-reversion-compare's CompareVersionAdmin gives
the history page (user, time, comment), the diff between two versions, revert and the "Recover deleted"
list. HistoryAdmin adds what those need to be complete here: the state before an item's first change,
the last state of what is deleted, the changes made by admin actions, and the checks django-reversion
leaves out before a revert or recover: that the version is one of the admin's model, and that the user
may save all it holds (`revert_refusal`, which publishing.py fills in).
"""

import contextvars
from collections import defaultdict
from dataclasses import dataclass
from functools import partial, wraps

import reversion
from django.contrib import messages
from django.contrib.admin.utils import quote, unquote
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from reversion.errors import RevertError
from reversion.models import Version
from reversion_compare.admin import CompareVersionAdmin

from ..models import (
    Album,
    ChartEntry,
    Credit,
    Edition,
    EditionTrack,
    Sample,
    SongInFilm,
    Source,
    Track,
    TrackArtist,
    TrackWriter,
)
from ..models.base import Publishable
from .base import ModelAdmin
from .inlines import park_places, still_parked

FOLLOWS = {}  # model -> the relations its versions follow, as registered
# The row a registered model that is not publishable belongs to, whose publication decides who may
# change it (the admins' `publishable`, publishing.py); a performer through its track.
BELONGS_TO = {}

FIRST_STATE = "As it was before its first change in the admin."
DELETED = "Deleted."
_REFUSED = "_history_refused"  # On the request: why the version shown may not be saved.


def register(model, follow=(), belongs_to=None):
    """Keep the model's history, its versions in JSON that keeps times exact (catalog/serializers.py).

    `belongs_to`: for a model that is not publishable, the relation to the row that decides who may revert
    it (an album, a list, a track). Models register when their app's admin is imported, before its admin
    classes are built: VersionAdmin would register on its own, from the inlines alone, any model that is
    not registered by then.
    """
    reversion.register(model, follow=follow, format="revision_json")
    FOLLOWS[model] = tuple(follow)
    if belongs_to:
        BELONGS_TO[model] = belongs_to


def follow(model, *relations):
    """Let a registered model's versions hold these relations too (the reviews app: an album's reception)."""
    reversion.unregister(model)  # django-reversion takes a model's options once, whole.
    register(model, FOLLOWS[model] + relations, BELONGS_TO.get(model))


# A revision of an album holds these rows too, so reverting it puts back the tracks, credits and the
# rest as they were (rows added since are removed, deleted ones come back). Performers and writers
# follow their track and running orders their edition: deleting a track deletes them with it.
register(Album, follow=("tracks", "credits", "samples", "songs_in_film", "editions", "chart_entries", "sources"))
register(Track, follow=("track_artists", "track_writers"), belongs_to="album")
register(Edition, follow=("edition_tracks",), belongs_to="album")
for model, parent in [(TrackArtist, "track"), (TrackWriter, "track"), (Credit, "album"), (Sample, "album"),
                      (SongInFilm, "album"), (EditionTrack, "edition"), (ChartEntry, "album"), (Source, "album")]:
    register(model, belongs_to=parent)


def record_now(objects, user, comment):
    """Save the objects' current state (with what they follow) as a revision of its own, at once.

    The admin wraps a whole request in one revision, saved as the request ends and keeping only rows
    that still exist then: too late for a row being deleted, or for the state before a change.
    A fresh context starts a revision outside that one (the database transaction is the same).
    """
    def record():
        with reversion.create_revision():
            reversion.set_user(user)
            reversion.set_comment(comment)
            for obj in objects:
                reversion.add_to_revision(obj)

    if objects:
        contextvars.Context().run(record)


def without_history(objects):
    """Those of the objects that no revision holds yet (loaded from fixtures, imported)."""
    by_model = defaultdict(list)
    for obj in objects:
        by_model[type(obj)].append(obj)
    missing = []
    for model, group in by_model.items():
        known = set(Version.objects.get_for_model(model).filter(
            object_id__in=[str(obj.pk) for obj in group]
        ).values_list("object_id", flat=True))
        missing += [obj for obj in group if str(obj.pk) not in known]
    return missing


def park_revision(revision):
    """Move the rows a revert will put back off their unique places (inlines.py); returns what it moved.

    Restoring swapped places one row at a time would collide midway (track 3 takes position 4
    while track 4 still holds it); from parked places every row can go straight home.
    """
    rows = defaultdict(list)
    for version in revision.version_set.select_related("content_type"):
        rows[version.content_type.model_class()].append(version.object_id)
    return park_places(rows)


def record_deletions(request, objects):
    """Keep the last state of each object about to be deleted, for the "Recover deleted" list.

    One revision each: recovering reverts a whole revision, so a review deleted with others (or
    from the album page) comes back alone, not with the others (or the album as it was).
    """
    for obj in objects:
        if reversion.is_registered(type(obj)):
            record_now([obj], request.user, DELETED)


@dataclass
class Touched:
    """A publishable item that a revert writes to (the item, or rows that belong to it), in its states."""

    model: type
    pk: str
    name: str
    states: list  # The item as stored now and as the revision holds it (unsaved), whichever there are.

    @property
    def placed(self):
        """False for a row of a model BELONGS_TO does not know: nothing says whether it is published."""
        return issubclass(self.model, Publishable)


def touched_by_revert(revision, lock=False):
    """The publishable items whose rows reverting the revision would change, delete or bring back.

    The admin's revert restores every row the revision holds and deletes the rows that the stored ones
    follow but the revision does not hold (a review added since). A row stands for the item it belongs
    to (BELONGS_TO), in both its states: a track moved between albums touches both albums. With `lock`,
    the rows read are locked until the transaction ends, so no one publishes them in between.
    """
    held = {}
    for version in revision.version_set.select_related("content_type"):
        held[(version.content_type.model_class(), version.object_id)] = version
    stored = {}

    def rows(model):
        return model._base_manager.select_for_update(no_key=True) if lock else model._base_manager

    for model, group in _by_model(held):
        stored.update({(model, str(obj.pk)): obj for obj in rows(model).filter(pk__in=group)})
    deleted = [obj for obj in _followed(list(stored.values())) if (type(obj), str(obj.pk)) not in held]

    def states(model, pk):
        key = (model, str(pk))
        if key not in stored:
            stored[key] = rows(model).filter(pk=pk).first()
        version = held.get(key)
        return [state for state in (stored[key], version and _as_held(version)) if state is not None]

    def deciding(model, row):
        """The (model, pk) of each publishable item the row, in one of its states, belongs to."""
        if model not in BELONGS_TO:
            return {(model, str(row.pk))}
        parent = model._meta.get_field(BELONGS_TO[model])
        pk = getattr(row, parent.attname)
        found = set()
        for state in states(parent.related_model, pk) if pk is not None else ():
            found |= deciding(parent.related_model, state)
        return found

    keys = set()
    for row in [state for model, pk in held for state in states(model, pk)] + deleted:
        keys |= deciding(type(row), row)
    touched = []
    for model, pk in keys:
        item_states = states(model, pk)  # Read (and locked) as stored: a row to be deleted was read unlocked.
        now, version = stored[(model, pk)], held.get((model, pk))
        name = str(now) if now is not None else version.object_repr if version else f"{model._meta.verbose_name} {pk}"
        touched.append(Touched(model, pk, name, item_states))
    return sorted(touched, key=lambda item: item.name)


def _by_model(keys):
    by_model = defaultdict(list)
    for model, pk in keys:
        by_model[model].append(pk)
    return by_model.items()


def _as_held(version):
    """The row as the version holds it, unsaved; its many-to-many links left out."""
    model = version.content_type.model_class()
    values = version.field_dict
    return model(**{f.attname: values[f.attname] for f in model._meta.concrete_fields if f.attname in values})


def _followed(objects):
    """Every row that the objects' versions would hold now: what they follow (FOLLOWS), recursively."""
    found, seen, pending = [], {(type(obj), obj.pk) for obj in objects}, list(objects)
    while pending:
        obj = pending.pop()
        for name in FOLLOWS.get(type(obj), ()):
            related = getattr(obj, name)
            for row in related.all() if isinstance(related, models.Manager) else [related]:
                if row is not None and (type(row), row.pk) not in seen:
                    seen.add((type(row), row.pk))
                    found.append(row)
                    pending.append(row)
    return found


class _RevertNotSavedError(Exception):
    def __init__(self, response):
        self.response = response


class HistoryAdmin(CompareVersionAdmin, ModelAdmin):
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
                parked = park_revision(version.revision)
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
