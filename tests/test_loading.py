"""Loading fixtures: all of a load or nothing, every object validated, failures that say where (issue 6).

Each broken fixture starts with valid objects, so that a load that stopped halfway would show in the
row counts, which are taken of every table in the database.
"""

import io
import json

import pytest
from django.core.management import CommandError, call_command, get_commands
from django.db import connection

from catalog.models import Album, Genre, Label
from reviews.models import AlbumScore, Review

pytestmark = pytest.mark.django_db

STAMPS = {"created_at": "2024-05-01T12:00:00Z", "updated_at": "2024-05-01T12:00:00Z"}


def genre(slug):
    return {"model": "catalog.genre", "fields": {"name": slug.replace("-", " ").title(), "slug": slug}}


def label(slug, name=None):
    return {"model": "catalog.label", "fields": {"name": name or slug.title(), "slug": slug}}


def album(slug, **fields):
    return {"model": "catalog.album", "fields": {
        "title": slug.title(), "slug": slug, "album_type": "soundtrack", "status": "draft", **STAMPS, **fields,
    }}


def track(album_slug, position, title="A track"):
    fields = {"album": [album_slug], "disc": 1, "position": position, "title": title}
    return {"model": "catalog.track", "fields": fields}


def review(publication, **fields):
    return {"model": "reviews.review", "fields": {
        "album": ["lost-in-translation"], "publication": [publication], "critic": None, "quote": "Fine.",
        "scale": "10", "rating_value": "2.0", "score": 20, "status": "published", "publish_at": "2024-05-01T12:00:00Z",
        **STAMPS, **fields,
    }}


def publication(slug):
    return {"model": "reviews.publication", "fields": {"name": slug.title(), "slug": slug, "kind": "magazine"}}


def row_counts():
    """The number of rows in every table of the database, Django's own and the many-to-many ones included."""
    with connection.cursor() as cursor:
        counts = {}
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")
            counts[table] = cursor.fetchone()[0]
    return counts


@pytest.fixture
def write_fixture(tmp_path):
    def write(name, objects):
        path = tmp_path / f"{name}.json"
        path.write_text(json.dumps(objects, indent=1))
        return path

    return write


def load_fails(path):
    """Load a fixture that must fail; the CommandError's message."""
    with pytest.raises(CommandError) as failure:
        call_command("load_checked", str(path), verbosity=0)
    return str(failure.value)


# A reference to nothing -----------------------------------------------------------------------------


BROKEN_REFERENCES = {
    # A required reference that is part of the object's natural key: Django cannot even build the track.
    "track-of-a-missing-album": (
        [genre("ambient-drone"), label("new-label"), track("no-such-album", 1)],
        3, "catalog.track", 'album refers to catalog.album ["no-such-album"]',
    ),
    # A required reference outside the natural key: the insert would only say NOT NULL.
    "side-c-of-a-missing-track": (
        [genre("ambient-drone"), {"model": "catalog.editiontrack", "fields": {
            "edition": ["lost-in-translation", 2], "track": ["lost-in-translation", 1, 99], "side": "C", "position": 1,
        }}],
        2, "catalog.editiontrack", 'track refers to catalog.track ["lost-in-translation", 1, 99]',
    ),
    # Optional references: Django waits for them until the end of the fixtures, in vain.
    "review-by-a-missing-critic": (
        [genre("ambient-drone"), publication("new-weekly"), review("new-weekly", critic=["no-such-critic"])],
        3, "reviews.review", 'critic refers to reviews.critic ["no-such-critic"]',
    ),
    "album-on-a-missing-label": (
        [genre("ambient-drone"), album("new-album", label=["no-such-label"]), label("another-label")],
        2, "catalog.album “new-album”", 'label refers to catalog.label ["no-such-label"]',
    ),
    "album-in-a-missing-genre": (
        [genre("ambient-drone"), album("new-album", genres=[["ambient-drone"], ["no-such-genre"]])],
        2, "catalog.album “new-album”", 'genres refers to catalog.genre ["no-such-genre"]',
    ),
}


@pytest.mark.parametrize("case", BROKEN_REFERENCES, ids=list(BROKEN_REFERENCES))
def test_a_broken_reference_loads_nothing_and_says_where(case, reception, write_fixture):
    objects, number, what, problem = BROKEN_REFERENCES[case]
    path = write_fixture(case, objects)
    before = row_counts()

    message = load_fails(path)

    assert f"{path}, object {number} ({what})" in message
    assert problem in message
    assert row_counts() == before


def test_a_failed_load_takes_back_the_scores_its_reviews_changed(reception, write_fixture):
    """A review's signal recomputes the album's score as it loads; the rollback takes that back too."""
    score = AlbumScore.objects.values("mean", "score", "scored_count", "review_count").get(album=reception)
    path = write_fixture("review-then-nothing", [
        publication("new-weekly"), review("new-weekly"), track("no-such-album", 1),
    ])
    before = row_counts()

    message = load_fails(path)

    assert f"{path}, object 3 (catalog.track)" in message
    assert row_counts() == before
    assert AlbumScore.objects.values("mean", "score", "scored_count", "review_count").get(album=reception) == score
    assert not Review.objects.filter(publication__slug="new-weekly").exists()


def test_a_reference_to_an_object_later_in_the_fixture_still_loads(write_fixture):
    path = write_fixture("forward", [album("forward-album", label=["forward-label"]), label("forward-label")])

    call_command("load_checked", str(path), verbosity=0)

    assert Album.objects.get(slug="forward-album").label == Label.objects.get(slug="forward-label")


# A database constraint -------------------------------------------------------------------------------


CONSTRAINT_VIOLATIONS = {
    # CheckConstraint track_position_positive: the database refuses the row as it is inserted.
    "track-at-position-zero": (
        [genre("ambient-drone"), album("new-album"), track("new-album", 0, "Zero")],
        3, "catalog.track “Zero”", "track_position_positive",
    ),
    # The unique IMDb id of the fixture's film.
    "second-film-with-the-same-imdb-id": (
        [genre("ambient-drone"), label("new-label"),
         {"model": "catalog.film",
          "fields": {"title": "Lost", "slug": "lost-again", "year": 2003, "imdb_id": "tt0335266"}}],
        3, "catalog.film “lost-again”", "imdb_id",
    ),
    # CheckConstraint genre_slug_valid: a slug no URL can hold.
    "genre-with-a-slug-that-is-not-one": (
        [genre("ambient-drone"), {"model": "catalog.genre", "fields": {"name": "Bad Slug", "slug": "not a slug"}}],
        2, "catalog.genre “not a slug”", "genre_slug_valid",
    ),
    # The same disc and position twice in one album.
    "two-tracks-in-one-place": (
        [genre("ambient-drone"), album("new-album"), track("new-album", 1, "One"),
         track("new-album", 1, "Two") | {"pk": 999999}],  # a primary key, or its natural key would find "One"
        4, "catalog.track “Two”", "position",
    ),
}


@pytest.mark.parametrize("case", CONSTRAINT_VIOLATIONS, ids=list(CONSTRAINT_VIOLATIONS))
def test_a_constraint_violation_loads_nothing_and_says_where(case, reception, write_fixture):
    objects, number, what, problem = CONSTRAINT_VIOLATIONS[case]
    path = write_fixture(case, objects)
    before = row_counts()

    message = load_fails(path)

    assert f"{path}, object {number} ({what})" in message
    assert problem in message
    assert row_counts() == before


# What only validation catches (on SQLite, at least) ----------------------------------------------------


def test_an_over_long_name_loads_nothing(reception, write_fixture):
    """SQLite stores 500 characters in a 200-character column; full_clean() (or PostgreSQL) refuses them."""
    path = write_fixture("long-name", [genre("ambient-drone"), label("long-label", "L" * 500)])
    before = row_counts()

    message = load_fails(path)

    assert f"{path}, object 2 (catalog.label “long-label”)" in message
    assert "200" in message  # "at most 200 characters" or "character varying(200)"
    assert row_counts() == before
    assert not Genre.objects.filter(slug="ambient-drone").exists()


def test_what_no_database_checks_loads_nothing(reception, write_fixture):
    """A URL in ftp:, a person as a group: only validators and limit_choices_to know."""
    path = write_fixture("invalid", [
        genre("ambient-drone"),
        {"model": "catalog.label", "fields": {"name": "FTP", "slug": "ftp-label", "url": "ftp://example.com/"}},
        {"model": "catalog.membership", "fields": {"group": ["brian-reitzell"], "member": ["kevin-shields"]}},
    ])
    before = row_counts()

    message = load_fails(path)

    assert message.startswith("Invalid data, nothing was loaded:")
    assert f"{path}, object 2 (catalog.label “ftp-label”): url:" in message
    assert f"{path}, object 3 (catalog.membership): group:" in message
    assert row_counts() == before


# Files that are not fixtures ---------------------------------------------------------------------------


def test_a_file_that_does_not_parse_names_the_file(reception, tmp_path):
    path = tmp_path / "broken.json"
    path.write_text('[{"model": "catalog.genre", "fields": {"name": "Cut off"')
    before = row_counts()

    assert load_fails(path).startswith(f"{path}: not a valid fixture")
    assert row_counts() == before


def test_an_unknown_field_names_the_object(reception, write_fixture):
    path = write_fixture("unknown-field", [
        genre("ambient-drone"), {"model": "catalog.genre", "fields": {"slug": "x", "mood": "blue"}},
    ])
    before = row_counts()

    message = load_fails(path)

    assert f"{path}, object 2 (catalog.genre)" in message
    assert "mood" in message
    assert row_counts() == before


def test_an_object_that_does_not_build_is_named_with_djangos_words_when_its_references_are_fine(write_fixture):
    """The track's album comes earlier in the same file: the problem is the unknown field, not the album."""
    bad_track = track("new-album", 1) | {"fields": track("new-album", 1)["fields"] | {"mood": "blue"}}
    path = write_fixture("bad-track", [album("new-album"), bad_track])

    message = load_fails(path)

    assert message == f"{path}, object 2 (catalog.track): Track has no field named 'mood'"
    assert not Album.objects.filter(slug="new-album").exists()


def test_djangos_count_is_printed_only_for_a_load_that_passed(write_fixture):
    good, bad = write_fixture("good", [genre("ambient-drone")]), write_fixture("bad", [label("ftp", "L" * 500)])
    out = io.StringIO()

    call_command("load_checked", str(good), stdout=out)
    with pytest.raises(CommandError):
        call_command("load_checked", str(bad), stdout=out)

    assert out.getvalue() == "Installed 1 object(s) from 1 fixture(s)\n"


def test_loaddata_is_djangos_own_again():
    """Unchecked, as Django documents it; the checked load has a name of its own."""
    assert get_commands()["loaddata"] == "django.core"
    assert get_commands()["load_checked"] == "catalog"


def test_the_shipped_fixtures_load_and_pass_validation(reception):
    """They load through the same command (conftest's `reception`), so every object passed full_clean."""
    assert Album.objects.get(slug="lost-in-translation").tracks.count() == 17
    assert Review.objects.filter(album=reception).count() == 5
