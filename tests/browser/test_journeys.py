"""Whole visits in Chromium, the way people use the site: by clicking, typing and pressing Tab."""

import re

import pytest
from playwright.sync_api import expect

from tests import factories

from .conftest import VIEWPORTS, log_in_to_admin, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ALBUM_TITLE = "Lost in Translation: Music from the Motion Picture Soundtrack"
PASSWORD = "a long passphrase only this test knows"
FOCUSABLE = "input:not([type=hidden]), select, textarea, button, a[href]"


@pytest.fixture
def desktop_page(browser):
    """A desktop-width page only: the admin is an editor's desk, not something tested on a phone."""
    context = browser.new_context(viewport=VIEWPORTS["desktop"])
    page = context.new_page()
    page.viewport_name = "desktop"
    yield page
    context.close()


@pytest.fixture
def scores_albums(transactional_db):
    """Two albums in another genre, so that filtering by genre visibly narrows the list."""
    genre = factories.GenreFactory(name="Film score", slug="film-score")
    return [factories.AlbumFactory(title=title, genres=[genre]) for title in ("Vertigo", "Blade Runner")]


def test_visitor_browses_filters_and_searches(live_server, page, catalog, scores_albums):
    page.goto(live_server.url + "/")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Albums").click()
    expect(page).to_have_url(f"{live_server.url}/albums/")
    cards = page.locator("main article.card")
    expect(cards).to_have_count(3)

    filters = page.locator("form#filters")
    filters.locator("select[name=genre]").select_option(label="Shoegaze")
    filters.locator("[type=submit]").first.click()
    expect(page).to_have_url(re.compile(r"/albums/\?(.*&)?genre=shoegaze(&|$)"))
    expect(cards).to_have_count(1)
    screenshot(page, "journey-albums-in-shoegaze")

    cards.get_by_role("link", name=ALBUM_TITLE).click()
    expect(page.locator("h1")).to_have_text(ALBUM_TITLE)

    page.locator("main").get_by_role("link", name="Kevin Shields", exact=True).first.click()
    expect(page).to_have_url(f"{live_server.url}/artists/kevin-shields/")
    expect(page.locator("h1")).to_have_text("Kevin Shields")

    search = page.locator("form[role=search] #site-search")
    search.fill("sebastien")
    search.press("Enter")
    expect(page).to_have_url(re.compile(r"/search/\?q=sebastien$"))
    screenshot(page, "journey-search-sebastien")

    page.locator("main").get_by_role("link", name="Sébastien Tellier", exact=True).first.click()
    expect(page).to_have_url(f"{live_server.url}/artists/sebastien-tellier/")
    expect(page.locator("h1")).to_have_text("Sébastien Tellier")


def our_score(page):
    return page.locator("#reception .scoreboard__panel--ours")


def test_editor_adds_a_review_and_the_score_follows(live_server, desktop_page, catalog, django_user_model):
    page = desktop_page
    editor = django_user_model.objects.create_superuser("editor", "editor@example.com", PASSWORD)
    factories.PublicationFactory(name="Sight and Sound")

    page.goto(live_server.url + catalog.get_absolute_url())
    expect(our_score(page).locator(".score__number")).to_have_text("67 out of 100")
    expect(our_score(page).locator(".score__band")).to_have_text("No verdict yet")
    expect(our_score(page).locator(".scoreboard__basis")).to_contain_text("3 scored reviews, 4 needed")

    log_in_to_admin(page, live_server, editor, PASSWORD)
    page.get_by_role("link", name="Albums", exact=True).first.click()
    page.get_by_role("link", name=ALBUM_TITLE).click()
    expect(page.locator("h2", has_text=ALBUM_TITLE)).to_be_visible()

    reviews = page.locator("#reviews-group")
    reviews.get_by_role("button", name="Add another Review").click()
    review = reviews.locator(".dynamic-reviews").last
    # The publication is an autocomplete (select2): open it, type, pick the match, as an editor does.
    review.locator("select[name$='-publication'] + .select2 .select2-selection").click()
    page.locator(".select2-container--open .select2-search__field").fill("sight")
    page.locator(".select2-results__option", has_text="Sight and Sound").click()
    review.get_by_label("Date:").fill("2003-10")
    review.get_by_label("Scale:").select_option(label="Out of 10")
    review.get_by_label("Rating:").fill("9")
    review.get_by_label("Status:").select_option(label="Published")
    page.get_by_role("button", name="Save", exact=True).first.click()
    expect(page.locator(".messagelist .success")).to_contain_text("was changed successfully")

    page.goto(live_server.url + catalog.get_absolute_url())
    expect(page.locator("#reception .review-list")).to_contain_text("Sight and Sound")
    # (80 + 63 + 58 + 90) / 4 = 72.75: 73, and four scored reviews are enough for a verdict.
    expect(our_score(page).locator(".score__number")).to_have_text("73 out of 100")
    expect(our_score(page).locator(".score__band")).to_have_text("Generally favorable")
    expect(our_score(page).locator(".scoreboard__basis")).to_contain_text("From 4 scored reviews")
    screenshot(page, "journey-album-after-review")


def tab_to(page, target, presses=80):
    """Press Tab until the target element has focus; fail if it never does."""
    for _ in range(presses):
        page.keyboard.press("Tab")
        if target.evaluate("element => element === document.activeElement"):
            return
    pytest.fail(f"{presses} presses of Tab never reached {target}")


def assert_focus_is_visible(target):
    style = target.evaluate(
        "element => { const s = getComputedStyle(element);"
        " return {outline: s.outlineStyle, width: s.outlineWidth, shadow: s.boxShadow}; }"
    )
    outlined = style["outline"] != "none" and style["width"] != "0px"
    assert outlined or style["shadow"] != "none", f"no visible focus indicator: {style}"


def test_keyboard_reaches_the_search_box(live_server, page, catalog):
    page.goto(live_server.url + "/")
    search = page.locator("#site-search")
    tab_to(page, search)
    assert_focus_is_visible(search)
    page.keyboard.type("shields")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/search/\?q=shields$"))


def test_keyboard_reaches_the_filters(live_server, page, catalog):
    page.goto(live_server.url + "/albums/")
    first_field = page.locator("form#filters").locator(FOCUSABLE).first
    tab_to(page, first_field)
    assert_focus_is_visible(first_field)
