"""What an album's history keeps (django-reversion): the album and every row its admin page edits.

Imported by catalog/admin.py before the admin classes are built: VersionAdmin registers on its
own, from the inlines alone, any model that is not registered by then.
"""

import contextvars
from collections import defaultdict

import reversion

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

# A revision of an album holds these rows too, so reverting it puts back the tracks, credits and the
# rest as they were (rows added since are removed, deleted ones come back). Performers and writers
# follow their track and running orders their edition: deleting a track deletes them with it.
ALBUM_CHILDREN = ("tracks", "credits", "samples", "songs_in_film", "editions", "chart_entries", "sources")

# Rows whose place is unique within their parent, and the field that holds it.
PLACES = {Track: "position", Edition: "position", EditionTrack: "position", Sample: "position",
          SongInFilm: "position", Source: "position"}
PARKING = 30000  # Above any real place, below a PositiveSmallIntegerField's limit.

FIRST_STATE = "As it was before its first change in the admin."
DELETED = "Deleted."


def register(model, follow=()):
    """Register a model's history, its versions in JSON that keeps times exact (catalog/revision_json.py)."""
    reversion.register(model, follow=follow, format="revision_json")


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
