"""Every public page type in Chromium at phone and desktop widths: it renders, fits, and passes axe."""

import pytest

from .conftest import broken_images, load_images, run_axe, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAGES = {
    "home": "/",
    "album-list": "/albums/",
    "album-list-filtered": "/albums/?genre=shoegaze&sort=title",
    "track-list": "/tracks/",
    "search": "/search/?q=shields",
    "album-detail": "/albums/lost-in-translation/",
    "artist-list": "/artists/",
    "artist-detail": "/artists/kevin-shields/",
    "film-detail": "/films/lost-in-translation/",
    "label-detail": "/labels/emperor-norton/",
    "genre-detail": "/genres/shoegaze/",
    "genre-list": "/genres/",
    "review-list": "/reviews/",
    "publication-detail": "/publications/pitchfork/",
    "critic-detail": "/critics/mark-richardson/",
    "list-list": "/lists/",
    "list-detail": "/lists/pitchfork-50-best-movie-soundtracks/",
    "article-list": "/articles/",
    "article-detail": "/articles/lost-in-translation-soundtrack-music-that-defined-an-era/",
    "methodology": "/methodology/",
    "not-found": "/albums/no-such-album/",
}


@pytest.mark.parametrize("name", list(PAGES))
def test_page_renders_fits_and_is_accessible(live_server, page, catalog, name):
    response = page.goto(live_server.url + PAGES[name])
    assert response.status == (404 if name == "not-found" else 200)
    assert page.locator("h1").count() == 1
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{name} scrolls sideways by {overflow}px at {page.viewport_name} width"
    assert broken_images(page) == []
    screenshot(page, name)
    assert run_axe(page) == []


def test_a_small_cover_fetches_the_smallest_thumbnail(live_server, page, catalog):
    """sizes at work: a cover drawn 4.5rem wide on a list takes the 300-pixel thumbnail, not the 900."""
    page.goto(live_server.url + PAGES["list-detail"])
    cover = page.locator(".entry__cover img")
    load_images(page)
    smallest, width = cover.get_attribute("srcset").split(", ")[0].split()
    assert width == "300w"
    assert cover.evaluate("img => new URL(img.currentSrc).pathname") == smallest


def test_keyboard_reaches_skip_link_then_main(live_server, page, catalog):
    page.goto(live_server.url + PAGES["album-detail"])
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.getAttribute('href')")
    assert focused == "#main"
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main"
