"""Searching in Chromium at phone and desktop widths: from the keyboard, and every state of the results
page (results, one kind paged, nothing found, no words yet, an absurdly long query) fits and passes axe."""

import pytest

from .conftest import run_axe, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

STATES = {
    "search-results": "/search/?q=shields",
    "search-kind": "/search/?q=e&kind=artists&page=2",
    "search-nothing": "/search/?q=zzxqv",
    "search-start": "/search/",
    "search-long": "/search/?q=" + "w" * 300,
}


@pytest.mark.parametrize("name", list(STATES))
def test_search_page_fits_and_is_accessible(live_server, page, catalog, name):
    response = page.goto(live_server.url + STATES[name])
    assert response.status == 200
    assert page.locator("h1").count() == 1
    assert page.locator("#site-search").is_visible()
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{name} scrolls sideways by {overflow}px at {page.viewport_name} width"
    screenshot(page, name)
    assert run_axe(page) == []


def test_search_from_the_keyboard(live_server, page, catalog):
    """Tab past the skip link, the site's name and its sections to the search box; type; Enter."""
    page.goto(live_server.url + "/albums/lost-in-translation/")
    trail = []
    while len(trail) < 20:
        page.keyboard.press("Tab")
        trail.append(page.evaluate("document.activeElement.id || document.activeElement.className"))
        if trail[-1] == "site-search":
            break
    sections = page.locator(".site-nav a").count()
    assert trail == ["skip-link", "site-name", *[""] * sections, "site-search"]

    page.keyboard.type("sebastien")
    page.keyboard.press("Enter")
    page.wait_for_url("**/search/?q=sebastien")
    assert page.locator("#results-artists .hit__title a").first.inner_text() == "Sébastien Tellier"
    assert page.input_value("#site-search") == "sebastien"
