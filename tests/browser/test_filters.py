"""The browsing forms in Chromium: filters with an error and a filtered review list, at phone and desktop widths."""

import re

import pytest
from playwright.sync_api import expect

from .conftest import run_axe, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAGES = {
    "album-list-error": "/albums/?year_min=abc&genre=no-such-genre&artist=%3Cscript%3Ealert(1)%3C/script%3E",
    "album-list-every-filter": "/albums/?genre=shoegaze&label=emperor-norton&type=soundtrack&decade=2000"
                               "&year_min=2001&year_max=2005&has_reviews=true&sort=-score",
    "track-list-filtered": "/tracks/?artist=Kevin+Shields&length_min=1:00&sort=-length",
    "review-list-filtered": "/reviews/?publication=pitchfork&score_min=50",
    "review-list-error": "/reviews/?score_min=200&date_to=2003-13",
}


@pytest.mark.parametrize("name", list(PAGES))
def test_filtered_pages_fit_and_are_accessible(live_server, page, catalog, name):
    dialogs = []  # A <script> typed into a filter must stay text: no alert() may open.
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    response = page.goto(live_server.url + PAGES[name])
    assert response.status == 200
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{name} scrolls sideways by {overflow}px at {page.viewport_name} width"
    assert dialogs == []
    screenshot(page, name)
    assert run_axe(page) == []


def test_an_error_links_to_its_field_and_clearing_starts_again(live_server, page, catalog):
    page.goto(live_server.url + "/albums/?year_min=abc")
    expect(page).to_have_title(re.compile(r"^Error: Albums"))
    summary = page.locator("#filter-errors")
    expect(summary).to_contain_text("Year from: Enter a year as four digits")
    summary.get_by_role("link").first.click()
    expect(page.locator("#id_year_min")).to_be_focused()
    expect(page.locator("#id_year_min")).to_have_attribute("aria-invalid", "true")

    page.locator("form#filters").get_by_role("link", name="Clear filters").click()
    expect(page).to_have_url(f"{live_server.url}/albums/")
    expect(page.locator("main article.card")).to_have_count(1)


def test_the_form_works_without_javascript(live_server, browser, catalog):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + "/tracks/")
    form = page.locator("form#filters")
    form.get_by_label("Artist").fill("kevin shields")
    form.get_by_label("Sort by").select_option(label="Longest first")
    form.get_by_role("button", name="Show tracks").click()
    expect(page).to_have_url(re.compile(r"/tracks/\?.*artist=kevin\+shields.*sort=-length"))
    expect(page.locator("#result-count")).to_contain_text("match your filters")
    expect(page.locator("form#filters").get_by_label("Artist")).to_have_value("kevin shields")
    context.close()
