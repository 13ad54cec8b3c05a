"""A preview in Chromium at phone and desktop widths: the banner shows, the page fits, and axe finds nothing."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from catalog.models import Album
from tests import factories

from .conftest import log_in_to_admin, run_axe, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a long passphrase only this test knows"


def test_a_scheduled_album_with_a_draft_review_previewed(live_server, page, catalog, django_user_model):
    goes_live = timezone.now() + datetime.timedelta(days=2)
    Album.objects.filter(pk=catalog.pk).update(publish_at=goes_live)
    factories.ReviewFactory(album=catalog, draft=True, quote="A draft nobody has read yet",
                            publication=factories.PublicationFactory(name="Draft Weekly"))
    editor = django_user_model.objects.create_superuser("editor", "editor@example.com", PASSWORD)
    assert page.goto(live_server.url + catalog.get_absolute_url()).status == 404

    log_in_to_admin(page, live_server, editor, PASSWORD)
    response = page.goto(f"{live_server.url}{catalog.get_absolute_url()}?preview")

    assert response.status == 200
    assert response.headers["cache-control"] == "private, no-store"
    banner = page.get_by_role("region", name="Preview — not published")
    expect(banner).to_be_visible()
    expect(banner).to_contain_text("This album is scheduled for")
    expect(page.locator(".review__state")).to_have_text("Draft — not published, not in our score.")
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    screenshot(page, "album-preview")
    assert run_axe(page) == []
