"""What an album's history keeps (django-reversion): the album and every row its admin page edits.

Imported by catalog/admin.py before the admin classes are built: VersionAdmin registers on its
own, from the inlines alone, any model that is not registered by then.
"""

import contextvars
from collections import defaultdict
from dataclasses import dataclass

import reversion
from django.db import models

from .models import (
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
from .models.base import Publishable

# A revision of an album holds these rows too, so reverting it puts back the tracks, credits and the
# rest as they were (rows added since are removed, deleted ones come back). Performers and writers
# follow their track and running orders their edition: deleting a track deletes them with it.
ALBUM_CHILDREN = ("tracks", "credits", "samples", "songs_in_film", "editions", "chart_entries", "sources")

# Rows whose place is unique within their parent, and the field that holds it.
PLACES = {Track: "position", Edition: "position", EditionTrack: "position", Sample: "position",
          SongInFilm: "position", Source: "position"}
PARKING = 30000  # Above any real place, below a PositiveSmallIntegerField's limit.

# The row a registered model that is not publishable belongs to, whose publication decides who may
# change it (the admins' `publishable`, catalog/admin_permissions.py); a performer through its track.
BELONGS_TO = {Track: "album", TrackArtist: "track", TrackWriter: "track", Credit: "album", Sample: "album",
              SongInFilm: "album", Edition: "album", EditionTrack: "edition", ChartEntry: "album",
              Source: "album"}
FOLLOWS = {}  # model -> the relations its versions follow, as registered

FIRST_STATE = "As it was before its first change in the admin."
DELETED = "Deleted."


def register(model, follow=()):
    """Register a model's history, its versions in JSON that keeps times exact (catalog/serializers.py)."""
    reversion.register(model, follow=follow, format="revision_json")
    FOLLOWS[model] = tuple(follow)


def register_album(*more_children):
    """Register Album following its children; the reviews app adds the reception the album page edits."""
    if reversion.is_registered(Album):
        reversion.unregister(Album)
    register(Album, follow=ALBUM_CHILDREN + more_children)


register_album()
register(Track, follow=("track_artists", "track_writers"))
register(Edition, follow=("edition_tracks",))
for model in (TrackArtist, TrackWriter, Credit, Sample, SongInFilm, EditionTrack, ChartEntry, Source):
    register(model)


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
    from reversion.models import Version

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


def park_places(revision):
    """Move the rows a revert will put back off their unique places; returns what it moved.

    Restoring swapped places one row at a time would collide midway (track 3 takes position 4
    while track 4 still holds it); from parked places every row can go straight home.
    """
    parked = defaultdict(list)
    for version in revision.version_set.select_related("content_type"):
        model = version.content_type.model_class()
        if model in PLACES:
            parked[model].append(version.object_id)
    offset = 0
    for model, ids in parked.items():
        for pk in ids:
            model._base_manager.filter(pk=pk).update(**{PLACES[model]: PARKING + offset})
            offset += 1
    return parked


def still_parked(parked):
    """Whether any row parked by park_places is still off its place: the revert did not go through."""
    return any(
        model._base_manager.filter(pk__in=ids, **{f"{PLACES[model]}__gte": PARKING}).exists()
        for model, ids in parked.items()
    )


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
