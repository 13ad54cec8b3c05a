"""A real Chromium, driven by Playwright, against Django's live server."""

import os
import shutil
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from catalog.models import Album, Artist
from tests.factories import TOTPDeviceFactory, artwork_bytes, totp_code

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]
AXE_JS = Path(__file__).parent / "vendor" / "axe.min.js"
FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
VIEWPORTS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 900}}
# Records every Content-Security-Policy violation of a document from its first byte (watched_page).
LISTEN = """
window.cspViolations = [];
document.addEventListener("securitypolicyviolation", event => window.cspViolations.push(
    `${event.effectiveDirective} blocked ${event.blockedURI || "inline"} (${event.sourceFile}:${event.lineNumber})`
));
"""

# Playwright's sync API runs an event loop in this thread; Django then refuses ORM
# calls from the test body unless told that this thread is not really async.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(config, items):
    # On a machine without Chromium the browser tests are skipped, except in CI,
    # where .ci/run installs it and a missing browser must fail loudly.
    if shutil.which(CHROMIUM) or os.environ.get("CI"):
        return
    skip = pytest.mark.skip(reason=f"{CHROMIUM} is not installed (apt-get install chromium)")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(params=list(VIEWPORTS), ids=list(VIEWPORTS))
def page(request, browser):
    context = browser.new_context(viewport=VIEWPORTS[request.param])
    page = context.new_page()
    page.viewport_name = request.param
    yield page
    context.close()


@pytest.fixture
def watched_page(browser):
    """A desktop page (the admin is an editor's desk) that records CSP violations from the first byte of every
    document it loads: `violations(page)`."""
    context = browser.new_context(viewport=VIEWPORTS["desktop"])
    context.add_init_script(LISTEN)
    page = context.new_page()
    page.viewport_name = "desktop"
    page.console_violations = []
    page.on("console", lambda message: "Content Security Policy" in message.text
            and page.console_violations.append(message.text))
    yield page
    context.close()


def violations(page):
    return page.evaluate("window.cspViolations") + page.console_violations


@pytest.fixture
def catalog(transactional_db):
    """The Lost in Translation fixtures as `make` loads them, with a sleeve on the album and a portrait of
    Kevin Shields made in memory, so pages show real thumbnails; returns the album.

    Transactional: the live server's threads must see the rows, so they are committed.
    """
    call_command("load_checked", str(FIXTURES / "lost_in_translation.json"), verbosity=0)
    call_command("load_checked", str(FIXTURES / "lost_in_translation_reception.json"), verbosity=0)
    album = Album.objects.get(slug="lost-in-translation")
    album.cover_alt = "A violet sleeve: a pale pink disc above the title in white capitals."
    album.cover.save("lost-in-translation.jpg", ContentFile(artwork_bytes(album.title)))
    artist = Artist.objects.get(slug="kevin-shields")
    artist.image_alt = "A rust-red square with a pale yellow disc and his name in white capitals."
    artist.image.save("kevin-shields.jpg", ContentFile(artwork_bytes(artist.name, size=(900, 1200), hue=10)))
    return album


def log_in_to_admin(page, live_server, user, password):
    """Log in through the admin's form as an editor does, with the current code of the user's authenticator
    app (made if the user has none)."""
    device = TOTPDevice.objects.filter(user=user).first() or TOTPDeviceFactory(user=user)
    page.goto(live_server.url + reverse("admin:login"))
    page.get_by_label("Username:").fill(user.username)
    page.get_by_label("Password:").fill(password)
    page.get_by_label("Code:").fill(totp_code(device))
    page.get_by_role("button", name="Log in").click()


def load_images(page):
    """Load every image now, lazy ones included, and wait for them: a full-page screenshot or a check
    of the images must not depend on what happened to be scrolled into view."""
    page.evaluate("document.querySelectorAll('img[loading=lazy]').forEach(img => { img.loading = 'eager'; })")
    # Not wait_for_function: its polling evaluates a string, which the site's CSP (no 'unsafe-eval') blocks.
    page.evaluate(
        """() => Promise.all([...document.images].map(img => img.complete ? null : new Promise(resolve => {
            img.addEventListener("load", resolve, {once: true});
            img.addEventListener("error", resolve, {once: true});
            if (img.complete) resolve();
        })))"""
    )


def broken_images(page):
    """The images on the page that failed to load."""
    load_images(page)
    return page.evaluate("[...document.images].filter(img => img.naturalWidth === 0).map(img => img.currentSrc)")


def run_axe(page):
    """axe-core's serious and critical violations on the current page."""
    # Evaluated through DevTools, not added as a <script>: the site's CSP blocks inline scripts, rightly.
    page.evaluate(AXE_JS.read_text())
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def screenshot(page, name):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    load_images(page)
    path = SCREENSHOTS / f"{name}-{page.viewport_name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
