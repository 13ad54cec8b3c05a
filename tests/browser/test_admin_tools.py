"""The editors' tools in Chromium: the data-quality report and an import's dry run, as an editor reaches them."""

import re

import pytest
from playwright.sync_api import expect

from .conftest import log_in_to_admin, run_axe, screenshot, violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a long passphrase only this test knows"


def serious_violations(page):
    """axe-core's serious and critical findings, less the admin's own breadcrumbs (on every admin page,
    Django's colours tell its links from the text around them by colour alone)."""
    return [violation for violation in run_axe(page)
            if not all(node[0].startswith(".breadcrumbs") for node in violation["nodes"])]


@pytest.fixture
def editor_page(watched_page, live_server, django_user_model):
    """A desktop-width page logged in to the admin as a superuser."""
    editor = django_user_model.objects.create_superuser("editor", "editor@example.com", PASSWORD)
    log_in_to_admin(watched_page, live_server, editor, PASSWORD)
    return watched_page


def test_the_data_quality_report_is_one_click_from_the_admin_index(editor_page, catalog):
    page = editor_page
    page.get_by_role("link", name="Data-quality report").click()

    expect(page.locator("h1")).to_have_text("Data quality")
    tracks = page.locator("#track-lengths tr.problem")
    expect(tracks).to_have_count(17)
    expect(tracks.first).to_contain_text("Intro / Tokyo")
    screenshot(page, "admin-data-quality")
    assert violations(page) == []  # Content-Security-Policy; before axe, whose injected script the policy blocks.
    assert serious_violations(page) == []

    tracks.first.get_by_role("link").click()
    expect(page.locator("h2", has_text="Intro / Tokyo")).to_be_visible()


def test_an_imports_dry_run_shows_each_bad_row(editor_page, catalog):
    page = editor_page
    page.goto(page.url.split("/admin/")[0] + "/admin/catalog/track/")
    page.get_by_role("link", name="Import", exact=True).click()
    rows = "album,position,title,length\n" + "".join(
        f"lost-in-translation,{n},Track {n},{'7:7x' if n == 19 else '3:00'}\n" for n in range(18, 21)
    ) + "no-such-album,1,Stray,3:00\n"
    page.locator("input[type=file]").set_input_files(
        {"name": "tracks.csv", "mimeType": "text/csv", "buffer": rows.encode()}
    )
    page.get_by_label("Format:").select_option(label="csv")
    page.get_by_role("button", name="Submit").click()

    errors = page.locator("table.import-errors tr.import-error")
    expect(errors).to_have_count(2)
    expect(errors.nth(0).locator("td")).to_have_text(["2", "length", re.compile("^Enter a length as m:ss")])
    expect(errors.nth(1).locator("td")).to_have_text(["4", "album", "There is no album with the slug “no-such-album”."])
    screenshot(page, "admin-import-errors")
    assert violations(page) == []
    assert serious_violations(page) == []


def test_an_export_of_a_filtered_changelist_downloads_its_rows(editor_page, catalog):
    page = editor_page
    page.goto(page.url.split("/admin/")[0] + "/admin/reviews/review/")
    page.locator("#changelist-filter").get_by_role("link", name="Pitchfork").click()
    page.get_by_role("link", name="Export", exact=True).click()
    page.get_by_label("Format:").select_option(label="csv")
    assert violations(page) == []

    with page.expect_download() as download:
        page.get_by_role("button", name="Submit").click()

    lines = download.value.path().read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("album,publication,critic")
    assert [line.split(",")[1] for line in lines[1:]] == ["pitchfork"]
