"""Import and export in the admin, through its pages: dry run, row errors, all-or-nothing, filtered export."""

import csv
import datetime
import io
import json
import tempfile
import zipfile

import openpyxl
import pytest
import time_machine
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from catalog.models import Album, Status, Track
from reviews.models import ListEntry, Review
from tests import factories
from tests.factories import log_in_verified
from tests.pages import parse

pytestmark = pytest.mark.django_db

TRACKS_IMPORT = reverse("admin:catalog_track_import")
TRACKS_CONFIRM = reverse("admin:catalog_track_process_import")
TRACK_COLUMNS = ["album", "position", "title", "length", "artists"]


@pytest.fixture
def album():
    return factories.AlbumFactory(title="Marie Antoinette", slug="marie-antoinette", draft=True)


def track_rows(album, count=20):
    return [
        {"album": album.slug, "position": str(n), "title": f"Song {n}", "length": f"{n // 10 + 2}:{n % 60:02d}",
         "artists": ""}
        for n in range(1, count + 1)
    ]


def as_file(rows, kind, columns=None):
    """The rows as an uploaded CSV, XLSX or JSON file, written the way a spreadsheet or a script would."""
    columns = columns or list(rows[0])
    if kind == "csv":
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=columns)
        writer.writeheader()
        writer.writerows(rows)
        content = buffer.getvalue().encode()
    elif kind == "xlsx":
        workbook = openpyxl.Workbook()
        sheet = workbook.active
        sheet.append(columns)
        for row in rows:
            sheet.append([row.get(column) for column in columns])
        buffer = io.BytesIO()
        workbook.save(buffer)
        content = buffer.getvalue()
    else:
        content = json.dumps([{column: row.get(column) for column in columns} for row in rows]).encode()
    return SimpleUploadedFile(f"rows.{kind}", content)


def format_choice(client, url, kind):
    """The value of the format option the import page offers for the kind ("csv", "xlsx", "json")."""
    select = parse(client.get(url).content).find("select", name="format")
    return next(option.attrs["value"] for option in select.find_all("option") if option.text == kind)


def upload(client, url, upload_file, kind):
    return client.post(url, {"format": format_choice(client, url, kind), "resource": "0", "import_file": upload_file})


def row_errors(response):
    """(row, column, message) for every error of the dry run's table."""
    table = parse(response.content).find("table", class_="import-errors")
    if table is None:
        return []
    return [tuple(cell.text for cell in row.find_all("td")) for row in table.find_all("tr", class_="import-error")]


def file_errors(response):
    """The upload form's errors on the file field."""
    return [item.text for item in parse(response.content).find_all("li") if item.parent.tag == "ul"
            and "errorlist" in item.parent.classes]


def confirm(client, response, url):
    """Press "Confirm import" on a dry run's page, with the hidden fields it holds."""
    root = parse(response.content)
    form = next(form for form in root.find_all("form") if form.attrs.get("action") == url)
    data = {field.attrs["name"]: field.attrs.get("value", "") for field in form.find_all("input")
            if field.attrs.get("type") == "hidden"}
    return client.post(url, data)


def album_tracks(album):
    return list(Track.objects.filter(album=album).order_by("position").values_list("position", "title", "length"))


@pytest.mark.parametrize("kind", ["csv", "xlsx", "json"])
def test_a_dry_run_lists_each_bad_row_and_saves_nothing_then_the_corrected_file_imports_all(
    editor_client, album, kind
):
    rows = track_rows(album)
    bad = [dict(row) for row in rows]
    bad[4]["length"] = "7:7x"
    bad[11]["position"] = "11"  # The same track as row 11.

    response = upload(editor_client, TRACKS_IMPORT, as_file(bad, kind), kind)

    assert response.status_code == 200
    assert row_errors(response) == [
        ("5", "length", "Enter a length as m:ss or h:mm:ss, for example 4:05."),
        ("12", "position", "Row 11 has the same album, disc, position."),
    ]
    assert "Confirm import" not in response.content.decode()
    assert Track.objects.count() == 0

    dry_run = upload(editor_client, TRACKS_IMPORT, as_file(rows, kind), kind)
    assert row_errors(dry_run) == []
    preview = parse(dry_run.content).find("table", class_="import-preview")
    assert len(preview.find_all("tr", class_="new")) == 20
    assert Track.objects.count() == 0, "a dry run saves nothing"

    response = confirm(editor_client, dry_run, TRACKS_CONFIRM)

    assert response.status_code == 302
    assert response["Location"] == reverse("admin:catalog_track_changelist")
    assert album_tracks(album) == [
        (n, f"Song {n}", datetime.timedelta(minutes=n // 10 + 2, seconds=n)) for n in range(1, 21)
    ]


def test_a_missing_album_slug_and_an_unknown_artist_are_errors_on_their_rows(editor_client, album):
    factories.ArtistFactory(name="Phoenix", slug="phoenix")
    rows = track_rows(album)
    rows[2]["album"] = ""
    rows[6]["artists"] = "phoenix, the-strokes"
    rows[9]["album"] = "no-such-album"

    response = upload(editor_client, TRACKS_IMPORT, as_file(rows, "csv"), "csv")

    assert row_errors(response) == [
        ("3", "album", "Give the album's slug: this column cannot be empty."),
        ("7", "artists", "There is no artist with the slug “the-strokes”."),
        ("10", "album", "There is no album with the slug “no-such-album”."),
    ]
    assert Track.objects.count() == 0


def test_every_row_is_checked_by_the_model_so_constraints_are_row_errors(editor_client, album):
    rows = track_rows(album, count=3)
    rows[0]["position"] = "0"
    rows[1]["title"] = ""
    rows[2]["length"] = "0:00"

    response = upload(editor_client, TRACKS_IMPORT, as_file(rows, "csv"), "csv")

    assert response.status_code == 200
    assert {(row, column) for row, column, _message in row_errors(response)} == {
        ("1", "position"), ("2", "title"), ("3", "length"),
    }
    assert Track.objects.count() == 0


def test_values_that_cannot_be_read_are_errors_on_their_cells(editor_client, album):
    rows = [{**row, "hidden": ""} for row in track_rows(album, count=4)]
    rows[0]["position"] = "3.5"
    rows[1]["title"] = "Nul\u0000"
    rows[2]["hidden"] = "maybe"
    rows[3]["artists"] = "air, air"

    response = upload(editor_client, TRACKS_IMPORT, as_file(rows, "json"), "json")

    assert row_errors(response) == [
        ("1", "position", "“3.5” is not a whole number."),
        ("2", "title", "This cell holds a character that cannot be stored (NUL or an unpaired surrogate)."),
        ("3", "hidden", "“maybe” is not yes or no: write 1 or 0."),
        ("4", "artists", "A slug is listed twice."),
    ]


def test_a_length_a_spreadsheet_read_as_a_time_of_day_is_an_error(editor_client, album):
    rows = track_rows(album, count=1)
    rows[0]["length"] = datetime.time(3, 5)

    response = upload(editor_client, TRACKS_IMPORT, as_file(rows, "xlsx"), "xlsx")

    assert row_errors(response) == [
        ("1", "length", "Write the length as text, m:ss (for example 4:05); the spreadsheet read it as time."),
    ]


def test_performers_are_credited_in_the_files_order(editor_client, album):
    air, phoenix = factories.ArtistFactory(name="Air", slug="air"), factories.ArtistFactory(name="Phoenix")
    rows = track_rows(album, count=2)
    rows[0]["artists"] = "phoenix, air"

    confirm(editor_client, upload(editor_client, TRACKS_IMPORT, as_file(rows, "csv"), "csv"), TRACKS_CONFIRM)

    track = Track.objects.get(album=album, position=1)
    assert [credit.artist for credit in track.track_artists.order_by("position")] == [phoenix, air]
    assert track.artist_credit == "Phoenix & Air"


def test_the_confirmed_import_is_all_or_nothing_when_the_data_changed_after_the_dry_run(editor_client, album):
    artist = factories.ArtistFactory(name="Kevin Shields", slug="kevin-shields")
    rows = track_rows(album)
    rows[19]["artists"] = "kevin-shields"
    dry_run = upload(editor_client, TRACKS_IMPORT, as_file(rows, "csv"), "csv")
    assert row_errors(dry_run) == []
    artist.delete()  # Someone else's change between the preview and the confirmation: row 20 now fails.

    response = confirm(editor_client, dry_run, TRACKS_CONFIRM)

    assert response.status_code == 302
    assert response["Location"] == TRACKS_IMPORT
    assert Track.objects.count() == 0
    messages = [str(message) for message in editor_client.get(TRACKS_IMPORT).context["messages"]]
    assert messages == [
        "Nothing was imported: the file no longer passes its checks, as the data changed since the preview. "
        "Upload it again to see why."
    ]


def test_a_tampered_or_replayed_confirmation_is_refused_without_an_error_page(editor_client, album):
    dry_run = upload(editor_client, TRACKS_IMPORT, as_file(track_rows(album, 2), "csv"), "csv")
    assert confirm(editor_client, dry_run, TRACKS_CONFIRM).status_code == 302
    assert Track.objects.count() == 2

    replayed = confirm(editor_client, dry_run, TRACKS_CONFIRM)
    forged = editor_client.post(TRACKS_CONFIRM, {"import_file_name": "../../etc/passwd", "original_file_name": "x",
                                                 "format": "99", "resource": "0"})

    assert replayed.status_code == forged.status_code == 200
    assert file_errors(replayed) == ["This import was already confirmed or has expired: upload the file again."]
    assert set(file_errors(forged)) == {
        "This import was not previewed in this session: upload the file again.", "Unknown format.",
    }
    assert "Confirm import" not in replayed.content.decode()
    assert Track.objects.count() == 2


@pytest.fixture
def temporary_folder(tmp_path, monkeypatch):
    """The system temporary folder, where previews wait for their confirmation: this test's own."""
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    return tmp_path


def hidden_fields(response, url):
    form = next(form for form in parse(response.content).find_all("form") if form.attrs.get("action") == url)
    return {field.attrs["name"]: field.attrs.get("value", "") for field in form.find_all("input")
            if field.attrs.get("type") == "hidden"}


def waiting_file(folder):
    [path] = folder.iterdir()  # the one file the preview left for its confirmation
    return path


def test_a_confirmation_naming_any_other_temporary_file_is_refused_and_the_file_survives(
    editor_client, album, temporary_folder
):
    """The library reads, imports and then deletes whatever file the form names: only a previewed one will do."""
    foreign = temporary_folder / "someone-elses-file"
    foreign.write_bytes(as_file(track_rows(album, 2), "csv").read())  # a valid import, were it let through
    for name in (foreign.name, str(foreign), f"{foreign.name}:forged"):
        response = editor_client.post(TRACKS_CONFIRM, {"import_file_name": name, "original_file_name": "rows.csv",
                                                       "format": format_choice(editor_client, TRACKS_IMPORT, "csv"),
                                                       "resource": "0"})

        assert response.status_code == 200
        assert file_errors(response) == ["This import was not previewed in this session: upload the file again."]
    assert foreign.exists()
    assert Track.objects.count() == 0


def test_a_preview_is_confirmed_only_in_its_own_session_and_import(
    editor_client, album, temporary_folder, django_user_model
):
    dry_run = upload(editor_client, TRACKS_IMPORT, as_file(track_rows(album, 2), "csv"), "csv")
    fields = hidden_fields(dry_run, TRACKS_CONFIRM)
    colleague = django_user_model.objects.create_superuser("colleague", "c@example.com", None)
    other_editor = log_in_verified(Client(), colleague)
    # Another login: another session.
    same_editor_again = log_in_verified(Client(), django_user_model.objects.get(username="editor"))
    artists_confirm = reverse("admin:catalog_artist_process_import")

    refused = [
        other_editor.post(TRACKS_CONFIRM, fields),
        same_editor_again.post(TRACKS_CONFIRM, fields),
        editor_client.post(artists_confirm, fields),  # previewed as tracks, confirmed as artists
    ]

    for response in refused:
        assert response.status_code == 200
        assert file_errors(response) == ["This import was not previewed in this session: upload the file again."]
    assert waiting_file(temporary_folder).exists()
    assert Track.objects.count() == 0
    assert confirm(editor_client, dry_run, TRACKS_CONFIRM).status_code == 302
    assert Track.objects.count() == 2
    assert list(temporary_folder.iterdir()) == []


def test_the_format_cannot_change_between_the_preview_and_the_confirmation(editor_client, album, temporary_folder):
    dry_run = upload(editor_client, TRACKS_IMPORT, as_file(track_rows(album, 2), "csv"), "csv")
    fields = hidden_fields(dry_run, TRACKS_CONFIRM)
    fields["format"] = format_choice(editor_client, TRACKS_IMPORT, "json")

    response = editor_client.post(TRACKS_CONFIRM, fields)

    assert file_errors(response) == ["The format or kind of row is not the preview's: upload the file again."]
    assert Track.objects.count() == 0


def test_a_preview_expires_after_an_hour(editor_client, album, temporary_folder):
    start = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)
    with time_machine.travel(start, tick=False) as clock:
        dry_run = upload(editor_client, TRACKS_IMPORT, as_file(track_rows(album, 2), "csv"), "csv")
        # Working meanwhile: an hour without an admin request would end the login itself (sessions.py).
        clock.shift(datetime.timedelta(minutes=30))
        assert editor_client.get(reverse("admin:index")).status_code == 200
        clock.shift(datetime.timedelta(minutes=31))

        response = confirm(editor_client, dry_run, TRACKS_CONFIRM)

    assert file_errors(response) == ["This import was already confirmed or has expired: upload the file again."]
    assert Track.objects.count() == 0


CHANGED_AFTER_THE_PREVIEW = {
    "huge": (b"album,position,title\n" + b"x,1,y\n" * 400_000, "the limit is 2.0 MB"),
    "too-many-rows": (b"album,position\n" + b"x,1\n" * 1001, "The file has 1001 rows; the limit is 1000"),
    "nul": (b"album,position\nx\x00,1\n", "The file holds NUL characters"),
    "unknown-column": (b"album,position,lenght\nx,1,3:00\n", "unknown lenght"),
    "empty": (b"", "The file is empty."),
}


@pytest.mark.parametrize("name", CHANGED_AFTER_THE_PREVIEW)
def test_the_upload_checks_run_again_at_the_confirmation(editor_client, album, temporary_folder, name):
    """The file lies on disk between the two steps: what reaches the import is checked there and then."""
    content, message = CHANGED_AFTER_THE_PREVIEW[name]
    dry_run = upload(editor_client, TRACKS_IMPORT, as_file(track_rows(album, 2), "csv"), "csv")
    waiting_file(temporary_folder).write_bytes(content)

    response = confirm(editor_client, dry_run, TRACKS_CONFIRM)

    assert response.status_code == 200
    errors = file_errors(response)
    assert len(errors) == 1 and message in errors[0], errors
    assert Track.objects.count() == 0


# Exports ------------------------------------------------------------------------------------------


def export(client, changelist_url, kind, **filters):
    """Export from a changelist as an editor does: its Export link keeps the filters; submit the form."""
    changelist = parse(client.get(changelist_url, filters).content)
    link = changelist.find("a", class_="export_link").attrs["href"]
    form = parse(client.get(link).content)
    fields = {box.attrs["name"]: "on" for box in form.find_all("input", type="checkbox") if "checked" in box.attrs}
    choice = next(option.attrs["value"] for option in form.find("select", name="format").find_all("option")
                  if option.text == kind)
    return client.post(link, {**fields, "format": choice, "resource": "0"})


def test_an_export_holds_exactly_the_filtered_changelists_rows(editor_client):
    wire, pitchfork = factories.PublicationFactory(name="The Wire"), factories.PublicationFactory(name="Pitchfork")
    wires = [factories.ReviewFactory(publication=wire) for _ in range(3)]
    factories.ReviewFactory.create_batch(2, publication=pitchfork)
    changelist = reverse("admin:reviews_review_changelist")
    filtered = editor_client.get(changelist, {"publication__id__exact": wire.pk}).context["cl"].result_count

    response = export(editor_client, changelist, "csv", publication__id__exact=wire.pk)

    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert len(rows) == filtered == 3
    assert sorted(row["album"] for row in rows) == sorted(review.album.slug for review in wires)
    assert {row["publication"] for row in rows} == {"the-wire"}
    assert rows[0]["rating"] == "8.0" and rows[0]["scale"] == "10"


def test_an_exported_file_imports_back_unchanged(editor_client, lost_in_translation):
    changelist = reverse("admin:catalog_track_changelist")
    exported = export(editor_client, changelist, "xlsx", q="Sometimes")
    sheet = openpyxl.load_workbook(io.BytesIO(exported.content)).active
    header, *rows = list(sheet.values)
    assert [dict(zip(header, row, strict=True))["title"] for row in rows] == ["Sometimes"]

    dry_run = upload(editor_client, TRACKS_IMPORT, SimpleUploadedFile("tracks.xlsx", exported.content), "xlsx")

    assert row_errors(dry_run) == []
    preview = parse(dry_run.content).find("table", class_="import-preview")
    assert [row.classes for row in preview.find_all("tr")[1:]] == [["skip"]], "nothing would change"


def test_csv_exports_escape_formulae_and_imports_take_the_escape_off(editor_client, album):
    track = factories.TrackFactory(album=album, position=1, title="=HYPERLINK(\"http://evil.example\")")
    changelist = reverse("admin:catalog_track_changelist")

    exported = export(editor_client, changelist, "csv")

    row = next(csv.DictReader(io.StringIO(exported.content.decode())))
    assert row["title"] == "'=HYPERLINK(\"http://evil.example\")"
    dry_run = upload(editor_client, TRACKS_IMPORT, SimpleUploadedFile("tracks.csv", exported.content), "csv")
    assert parse(dry_run.content).find("tr", class_="skip") is not None
    track.refresh_from_db()
    assert track.title.startswith("=HYPERLINK")


# Permissions --------------------------------------------------------------------------------------


def staff_client(client, django_user_model, *codenames):
    user = django_user_model.objects.create_user(username="contributor", is_staff=True)
    user.user_permissions.set(Permission.objects.filter(codename__in=codenames))
    client.force_login(user)
    return client


def test_importing_needs_the_add_and_change_permissions_and_exporting_the_view_permission(client, django_user_model):
    viewer = staff_client(client, django_user_model, "view_track", "add_track")
    changelist = reverse("admin:catalog_track_changelist")

    assert viewer.get(TRACKS_IMPORT).status_code == 403
    assert viewer.post(TRACKS_CONFIRM, {}).status_code == 403
    tools = parse(viewer.get(changelist).content).find("ul", class_="object-tools")
    assert tools.find("a", class_="import_link") is None
    assert tools.find("a", class_="export_link") is not None
    assert viewer.get(reverse("admin:catalog_track_export")).status_code == 200


REVIEWS_IMPORT = reverse("admin:reviews_review_import")
REVIEW_PERMISSIONS = ("view_review", "add_review", "change_review")


@pytest.fixture
def reviewed():
    factories.PublicationFactory(name="Uncut", slug="uncut")
    return factories.AlbumFactory(slug="vertigo")


def review_row(status):
    return [{"album": "vertigo", "publication": "uncut", "scale": "10", "rating": "7", "quote": "Dizzying",
             "status": status}]


def test_without_the_publish_permission_an_imported_review_must_stay_a_draft(client, django_user_model, reviewed):
    contributor = staff_client(client, django_user_model, *REVIEW_PERMISSIONS)

    refused = upload(contributor, REVIEWS_IMPORT, as_file(review_row("published"), "csv"), "csv")
    draft = upload(contributor, REVIEWS_IMPORT, as_file(review_row("draft"), "csv"), "csv")
    confirm(contributor, draft, reverse("admin:reviews_review_process_import"))

    assert row_errors(refused) == [
        ("1", "status", "Only an editor who may publish reviews can publish one: set the status to draft."),
    ]
    assert list(Review.objects.values_list("status", "score")) == [(Status.DRAFT, 70)]


def test_with_the_publish_permission_an_imported_review_is_published(client, django_user_model, reviewed):
    editor = staff_client(client, django_user_model, *REVIEW_PERMISSIONS, "publish_review")

    dry_run = upload(editor, REVIEWS_IMPORT, as_file(review_row("published"), "csv"), "csv")
    confirm(editor, dry_run, reverse("admin:reviews_review_process_import"))

    assert list(Review.objects.values_list("status", flat=True)) == [Status.PUBLISHED]
    assert reviewed.score.scored_count == 1


def test_without_the_publish_permission_a_published_albums_tracks_cannot_be_imported(client, django_user_model):
    published = factories.AlbumFactory(slug="published-album")
    contributor = staff_client(client, django_user_model, "view_track", "add_track", "change_track")

    response = upload(contributor, TRACKS_IMPORT, as_file(track_rows(published, 1), "csv"), "csv")

    assert row_errors(response) == [
        ("1", "album", f"“{published.title}” is published or scheduled: only an editor who may publish it can "
                       "change it."),
    ]
    assert Track.objects.count() == 0


def test_list_entries_import_by_list_and_album_slugs(editor_client):
    ranked = factories.BestOfListFactory(slug="best-of-2003", size=10)
    albums = [factories.AlbumFactory(slug=f"album-{n}") for n in range(3)]
    rows = [{"list": "best-of-2003", "album": album.slug, "rank": str(rank), "blurb": ""}
            for rank, album in enumerate(albums, 1)]
    rows[2]["rank"] = "11"
    url = reverse("admin:reviews_listentry_import")

    response = upload(editor_client, url, as_file(rows, "json"), "json")
    assert row_errors(response) == [("3", "rank", "The list has 10 entries, so a rank goes from 1 to 10.")]

    rows[2]["rank"] = "3"
    confirm(editor_client, upload(editor_client, url, as_file(rows, "json"), "json"),
            reverse("admin:reviews_listentry_process_import"))
    assert list(ListEntry.objects.filter(best_of_list=ranked).values_list("album__slug", "rank")) == [
        ("album-0", 1), ("album-1", 2), ("album-2", 3),
    ]


def test_artists_import_by_slug(editor_client):
    factories.ArtistFactory(name="Air", slug="air")
    rows = [{"slug": "air", "name": "Air", "kind": "group", "country": "FR"},
            {"slug": "phoenix", "name": "Phoenix", "kind": "group", "country": "FR"},
            {"slug": "kevin-shields", "name": "Kevin Shields", "kind": "band", "country": ""}]
    url = reverse("admin:catalog_artist_import")

    response = upload(editor_client, url, as_file(rows, "csv"), "csv")

    assert row_errors(response) == [("3", "kind", "Value 'band' is not a valid choice.")]
    rows[2]["kind"] = "person"
    confirm(editor_client, upload(editor_client, url, as_file(rows, "csv"), "csv"),
            reverse("admin:catalog_artist_process_import"))
    from catalog.models import Artist

    assert list(Artist.objects.order_by("slug").values_list("slug", "kind", "country")) == [
        ("air", "group", "FR"), ("kevin-shields", "person", ""), ("phoenix", "group", "FR"),
    ]


# Bad files ----------------------------------------------------------------------------------------


def xlsx_bytes(*rows):
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def zip_bomb():
    """A small file that unpacks to 25 MB."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"0" * 25 * 1024 * 1024)
    return buffer.getvalue()


BAD_FILES = {
    "xlsx-as-csv": ("csv", xlsx_bytes(["album", "position"]), "This is a spreadsheet file, not CSV"),
    "csv-as-xlsx": ("xlsx", b"album,position\nx,1\n", "This file cannot be read as XLSX: check that the format"),
    "csv-as-json": ("json", b"album,position\nx,1\n", "This file cannot be read as JSON"),
    "not-utf-8": ("csv", "album,position,title\nx,1,Caf\u00e9\n".encode("latin-1"), "The file is not UTF-8 text"),
    "empty": ("csv", b"", "The submitted file is empty."),
    "header-only": ("csv", b"album,position,title\n", "The file has no rows to import"),
    "huge": ("csv", b"album,position,title\n" + b"x,1,y\n" * 400_000, "the limit is 2.0 MB"),
    "too-many-rows": ("csv", b"album,position\n" + b"x,1\n" * 1001, "The file has 1001 rows; the limit is 1000"),
    "missing-columns": ("csv", b"album,title\nx,y\n", "missing position"),
    "unknown-column": ("csv", b"album,position,lenght\nx,1,3:00\n", "unknown lenght"),
    "repeated-column": ("csv", b"album,position,title,title\nx,1,a,b\n", "repeated title"),
    "ragged": ("csv", b"album,position\nx,1,extra\n", "a row has more or fewer cells than the header"),
    "nul": ("csv", b"album,position\nx\x00,1\n", "The file holds NUL characters"),
    "json-object": ("json", b'{"album": "x"}', "cannot be read as JSON: it is not a list of objects"),
    "json-keys-differ": ("json", b'[{"album": "x", "position": 1}, {"position": 2}]', "does not have the same keys"),
    "xlsx-bomb": ("xlsx", zip_bomb(), "The spreadsheet unpacks to 25.0 MB"),
    "xlsx-empty-sheet": ("xlsx", xlsx_bytes(), "This file cannot be read as XLSX"),
}


@pytest.mark.parametrize("name", BAD_FILES)
def test_a_bad_file_is_a_clear_error_on_the_form(editor_client, album, name):
    kind, content, message = BAD_FILES[name]

    response = upload(editor_client, TRACKS_IMPORT, SimpleUploadedFile(f"bad.{kind}", content), kind)

    assert response.status_code == 200
    errors = file_errors(response)
    assert len(errors) == 1 and message in errors[0], errors
    assert "Traceback" not in response.content.decode()
    assert Track.objects.count() == 0 and Album.objects.count() == 1
