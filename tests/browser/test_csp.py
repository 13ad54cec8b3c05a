"""The Content-Security-Policy as Chromium enforces it: no page of the site or the admin breaks a rule.

A listener installed before any of the page's own code records every `securitypolicyviolation` event, and
Chromium's console reports each blocked resource too; both must stay empty on every page type, including
an album without a cover (its stand-in sleeve is tinted by a class, not a style attribute) and the admin.
"""

import pytest
from django.contrib.admin.utils import quote
from django.urls import reverse

from catalog.models import Artist
from tests import factories

from .conftest import log_in_to_admin, violations
from .test_pages import PAGES

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a long passphrase only this test knows"


def visit(page, url, status=200):
    page.console_violations.clear()
    response = page.goto(url)
    assert response.status == status, url
    assert "default-src 'self'" in [rule.strip() for rule in response.headers["content-security-policy"].split(";")]
    page.wait_for_load_state("networkidle")
    return violations(page)


def test_public_pages_break_no_rule(live_server, watched_page, catalog):
    found = {
        name: visit(watched_page, live_server.url + path, 404 if name == "not-found" else 200)
        for name, path in PAGES.items()
    }
    assert found == {name: [] for name in PAGES}


def test_a_stand_in_sleeve_is_tinted_without_an_inline_style(live_server, watched_page, catalog):
    album = factories.AlbumFactory(title="A sleeve still to come")
    assert visit(watched_page, live_server.url + album.get_absolute_url()) == []
    sleeve = watched_page.locator(".cover--placeholder").first
    hue = sleeve.evaluate("element => getComputedStyle(element).getPropertyValue('--hue').trim()")
    assert f"cover--hue-{hue}" in sleeve.get_attribute("class").split()


def test_the_admin_breaks_no_rule(live_server, watched_page, catalog, django_user_model):
    editor = django_user_model.objects.create_superuser("csp-editor", "csp@example.com", PASSWORD)
    page = watched_page
    assert visit(page, live_server.url + reverse("admin:login")) == []
    log_in_to_admin(page, live_server, editor, PASSWORD)
    page.wait_for_url(live_server.url + reverse("admin:index"))

    album = quote(catalog.pk)
    artist = quote(Artist.objects.get(slug="kevin-shields").pk)
    urls = [
        reverse("admin:index"),
        reverse("admin:catalog_album_changelist"),
        reverse("admin:catalog_album_change", args=[album]),
        reverse("admin:catalog_artist_change", args=[artist]),
        reverse("admin:catalog_artist_import"),
        reverse("admin:catalog_artist_export"),
        reverse("admin:reviews_review_changelist"),
        reverse("admin:reviews_review_change", args=[quote(catalog.reviews.first().pk)]),
    ]
    found = {url: visit(page, live_server.url + url) for url in urls}
    assert found == {url: [] for url in urls}

    # The album's change form works under the policy: its scripts run (the inlines' "Add another" links) and
    # it saves. Saved twice, it has two revisions, which its history page offers to compare.
    change = live_server.url + reverse("admin:catalog_album_change", args=[album])
    for _ in range(2):
        assert visit(page, change) == []
        assert page.locator(".inline-group .add-row a").count() > 0
        page.locator("input[name=_continue]").first.click()
        page.wait_for_selector(".messagelist .success")
        assert violations(page) == []
    assert visit(page, live_server.url + reverse("admin:catalog_album_history", args=[album])) == []
    page.locator("form [type=submit]").last.click()
    page.wait_for_load_state("networkidle")
    assert "compare" in page.url and violations(page) == []
