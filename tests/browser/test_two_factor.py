"""An Editor's second factor in Chromium: set up from the admin, then the logins that need its codes."""

import base64
import datetime
import re
import time

import pytest
import time_machine
from django.contrib.auth.models import Group
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from soundtrack_site.roles import EDITOR
from tests.factories import totp_code

from .conftest import screenshot, violations
from .test_admin_tools import serious_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a long passphrase only this test knows"


def log_in(page, live_server, code=""):
    page.goto(live_server.url + reverse("admin:login"))
    page.get_by_label("Username:").fill("alice")
    page.get_by_label("Password:").fill(PASSWORD)
    page.get_by_label("Code:").fill(code)
    page.get_by_role("button", name="Log in").click()


def test_an_editor_sets_up_an_app_then_logs_in_with_its_codes(live_server, watched_page, django_user_model):
    page = watched_page
    alice = django_user_model.objects.create_user("alice", "alice@example.com", PASSWORD, is_staff=True)
    alice.groups.add(Group.objects.get(name=EDITOR))
    # The live server runs in this process: moving the clock moves it for the site too.
    with time_machine.travel(time.time(), tick=True) as clock:
        log_in(page, live_server)  # Her first login: no second factor yet, no code.
        expect(page).to_have_url(re.compile(re.escape(reverse("admin:second_factor_set_up")) + r"\?next="))
        expect(page.locator("h1")).to_have_text("Set up a second factor")
        qr = page.locator(".second-factor__qr svg")
        expect(qr).to_be_visible()
        assert qr.bounding_box()["width"] >= 150  # Big enough for a phone's camera.
        assert serious_violations(page) == []
        screenshot(page, "second-factor-set-up")

        # She types the key into her app instead of scanning it; the app shows a code, which she types back.
        key = base64.b32decode(page.locator("#second-factor-key").inner_text().replace(" ", ""))
        app = TOTPDevice(key=key.hex())
        page.get_by_label("Code from the app").fill(totp_code(app))
        page.get_by_role("button", name="Confirm").click()
        expect(page.locator(".second-factor__done")).to_have_text("Your authenticator app is set up.")
        codes = page.locator("#backup-codes code").all_inner_texts()
        assert len(codes) == 10
        screenshot(page, "second-factor-backup-codes")
        page.get_by_role("link", name="I have kept them: continue").click()
        expect(page).to_have_url(live_server.url + reverse("admin:index"))
        expect(page.get_by_role("link", name="Albums", exact=True).first).to_be_visible()

        page.get_by_role("button", name="Log out").click()
        log_in(page, live_server, totp_code(app))  # The code that confirmed the app: used, so refused.
        expect(page.locator(".errornote")).to_contain_text("and a current code")
        clock.shift(datetime.timedelta(seconds=30))  # Half a minute later, the app shows a new code.
        log_in(page, live_server, totp_code(app))
        expect(page).to_have_url(live_server.url + reverse("admin:index"))

        page.get_by_role("button", name="Log out").click()
        log_in(page, live_server, codes[0])  # Phone left at home: a backup code, once.
        expect(page).to_have_url(live_server.url + reverse("admin:index"))
        page.get_by_role("link", name="Second factor").click()
        expect(page.locator("#backup-codes-left")).to_have_text("9")
    assert violations(page) == []
