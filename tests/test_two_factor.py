"""Second factor for staff (soundtrack_site/two_factor.py): who must have one, setting it up, logging in with
its codes, backup codes, the reset command. Codes are computed from the device's key as an app computes them."""

import base64
import datetime

import pytest
import time_machine
from axes.models import AccessAttempt
from django.contrib.auth.models import Group
from django.contrib.sessions.models import Session
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from soundtrack_site import roles
from tests import factories
from tests.factories import TOTPDeviceFactory, log_in_verified, totp_code
from tests.pages import form_data, parse, text_of

pytestmark = pytest.mark.django_db

LOGIN = reverse("admin:login")
INDEX = reverse("admin:index")
SET_UP = reverse("admin:second_factor_set_up")
OVERVIEW = reverse("admin:second_factor")
PASSWORD = "a passphrase of some length"
REFUSED = "Please enter the correct username and password for a staff account, and a current code"
# A fixed moment 5 s into a 30-second time step: every code below is the one an app shows then.
NOW = datetime.datetime(2026, 3, 2, 9, 30, 5, tzinfo=datetime.UTC)


def staff_in(django_user_model, role, username="alice"):
    user = django_user_model.objects.create_user(username=username, password=PASSWORD, is_staff=True)
    user.groups.add(Group.objects.get(name=role))
    return user


@pytest.fixture
def editor_alice(django_user_model):
    return staff_in(django_user_model, roles.EDITOR)


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def log_in(client, username, code="", password=PASSWORD, next_url=INDEX):
    return client.post(LOGIN, {"username": username, "password": password, "otp_token": code, "next": next_url})


def error_notes(response):
    return [note.text.strip() for note in parse(response.content).find_all(class_="errornote")]


def failures(username):
    return sum(attempt.failures_since_start for attempt in AccessAttempt.objects.filter(username=username))


def key_on(page):
    """The key the set-up page shows for typing, as bytes."""
    return base64.b32decode(parse(page.content).find(id="second-factor-key").text.replace(" ", ""))


def assert_refused(response):
    assert response.status_code == 200 and REFUSED in text_of(response)


def code_for_key(key, at=None):
    return totp_code(TOTPDevice(key=key.hex()), at)


def set_up(client):
    """Set up an authenticator app through the set-up page, as a person does; returns (device, backup codes)."""
    page = client.get(SET_UP)
    data = form_data(page.content, form_id="second-factor-form")
    data["otp_token"] = code_for_key(key_on(page))
    response = client.post(SET_UP, data)
    assert response.status_code == 200
    codes = [item.text for item in parse(response.content).find(id="backup-codes").find_all("code")]
    return TOTPDevice.objects.get(user__username=response.wsgi_request.user.username), codes


def set_up_and_log_out():
    """Alice logs in with her password, sets up an app, logs out; returns (client, device, backup codes)."""
    client = Client()
    log_in(client, "alice")
    device, codes = set_up(client)
    client.post(reverse("admin:logout"))
    return client, device, codes


# Who must have one -------------------------------------------------------------------------------------


def test_an_editor_without_a_second_factor_is_sent_to_set_one_up_before_any_admin_page(editor_alice, clock):
    client = Client()
    response = log_in(client, "alice")  # No code: she has not set one up.
    assert response.status_code == 302 and response["Location"] == INDEX

    album = factories.AlbumFactory()
    admin_pages = [reverse("admin:catalog_album_changelist"), reverse("admin:catalog_album_change", args=[album.pk])]
    for url in (INDEX, *admin_pages, reverse("data-quality"), OVERVIEW):
        response = client.get(url, follow=True)
        assert response.redirect_chain[-1][0] == f"{SET_UP}?next={url.replace('/', '%2F')}", url
        assert "Set up a second factor" in text_of(response)
    # Nor does the public site show her drafts meanwhile.
    draft = factories.AlbumFactory(draft=True)
    assert client.get(draft.get_absolute_url()).status_code == 404

    # Logging out stays open to her (the admin's own logout would send her back to the index).
    page = parse(client.get(SET_UP).content)
    assert page.find("form", action=reverse("admin:second_factor_log_out")) is not None
    response = client.post(reverse("admin:second_factor_log_out"))
    assert response.status_code == 302 and response["Location"] == LOGIN
    assert client.get(INDEX)["Location"].startswith(LOGIN)


def test_superusers_need_one_and_contributors_when_the_setting_says_so(django_user_model, settings, clock):
    root = django_user_model.objects.create_superuser("root", password=PASSWORD)
    contributor = staff_in(django_user_model, roles.CONTRIBUTOR, "carol")
    log_in(superuser := Client(), root.username)
    assert superuser.get(INDEX)["Location"].startswith(LOGIN)

    log_in(client := Client(), contributor.username)
    assert client.get(INDEX).status_code == 200  # Not by default...
    settings.OTP_REQUIRED_FOR_CONTRIBUTORS = True
    response = client.get(INDEX, follow=True)  # ...and with the setting on, from the next page.
    assert response.redirect_chain[-1][0].startswith(SET_UP)


def test_anyone_who_has_set_one_up_must_give_it(django_user_model, clock):
    contributor = staff_in(django_user_model, roles.CONTRIBUTOR, "carol")
    device = TOTPDeviceFactory(user=contributor)
    client = Client()
    assert_refused(log_in(client, "carol"))
    assert log_in(client, "carol", totp_code(device)).status_code == 302
    assert client.get(INDEX).status_code == 200


def test_no_group_may_hold_a_permission_on_second_factor_devices():
    names = set().union(*(roles.permission_names(role) for role in roles.GROUPS))
    assert not any(name.startswith(("otp_totp.", "otp_static.")) for name in names)


# Setting one up ----------------------------------------------------------------------------------------


def test_setting_up_an_app_shows_the_key_then_the_backup_codes_once(editor_alice, clock):
    client = Client()
    log_in(client, "alice")
    page = client.get(SET_UP)
    assert page["Cache-Control"].startswith("max-age=0") and "no-store" in page["Cache-Control"]
    html = parse(page.content)
    assert html.find("svg") is not None and html.find("img") is None  # The QR code is inline: no URL holds the key.
    assert not TOTPDevice.objects.exists()  # Showing the page saves nothing.
    key = key_on(page)
    assert len(key) == 20

    data = form_data(page.content, form_id="second-factor-form")
    data["otp_token"] = code_for_key(key)
    response = client.post(SET_UP, data)
    assert response.status_code == 200
    codes = [item.text for item in parse(response.content).find(id="backup-codes").find_all("code")]
    assert len(codes) == 10 and len(set(codes)) == 10
    device = TOTPDevice.objects.get(user=editor_alice)
    assert device.confirmed and device.bin_key == key
    tokens = StaticToken.objects.filter(device__user=editor_alice).values_list("token", flat=True)
    assert sorted(tokens) == sorted(codes)

    # The session gave the code: the admin opens. The codes are on no page from now on.
    assert client.get(INDEX).status_code == 200
    assert client.get(SET_UP)["Location"] == INDEX
    overview = client.get(OVERVIEW)
    assert parse(overview.content).find(id="backup-codes-left").text == "10"
    assert not any(code in overview.content.decode() for code in codes)


def test_the_set_up_page_is_for_logged_in_staff_only(django_user_model):
    response = Client().get(SET_UP)
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)
    client = Client()
    client.force_login(django_user_model.objects.create_user("member"))  # Logged in, not staff.
    response = client.get(SET_UP)
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)
    assert not TOTPDevice.objects.exists()


def test_a_wrong_code_saves_nothing_and_keeps_the_key(editor_alice, clock):
    client = Client()
    log_in(client, "alice")
    page = client.get(SET_UP)
    key = key_on(page)
    data = form_data(page.content, form_id="second-factor-form")
    wrong = str((int(code_for_key(key)) + 1) % 10**6).zfill(6)
    for typed, error in [(wrong, "That is not the app's current code"), ("12345", "Enter the six digits"),
                         ("abcdef", "Enter the six digits"), ("", "This field is required")]:
        data["otp_token"] = typed
        response = client.post(SET_UP, data)
        assert response.status_code == 200
        assert key_on(response) == key
        assert error in text_of(response)
    assert not TOTPDevice.objects.exists() and not StaticDevice.objects.exists()
    assert client.get(INDEX)["Location"].startswith(LOGIN)


def test_a_set_up_page_left_open_too_long_gets_a_new_key(editor_alice, clock):
    client = Client()
    log_in(client, "alice")
    page = client.get(SET_UP)
    data = form_data(page.content, form_id="second-factor-form")
    clock.shift(datetime.timedelta(minutes=16))
    data["otp_token"] = code_for_key(key_on(page))
    response = client.post(SET_UP, data)
    assert response.status_code == 200
    assert "This page had expired" in text_of(response)
    assert key_on(response) != key_on(page)
    assert not TOTPDevice.objects.exists()


def test_a_tampered_key_is_refused(editor_alice, clock):
    client = Client()
    log_in(client, "alice")
    page = client.get(SET_UP)
    data = form_data(page.content, form_id="second-factor-form")
    data["key"] = "00" * 20  # A key of the attacker's choosing, unsigned.
    data["otp_token"] = code_for_key(bytes(20))
    assert "This page had expired" in text_of(client.post(SET_UP, data))
    assert not TOTPDevice.objects.exists()


def test_the_set_up_page_follows_only_our_own_next(editor_alice, clock):
    client = Client()
    log_in(client, "alice")
    page = client.get(SET_UP, {"next": "https://evil.example/"})
    data = form_data(page.content, form_id="second-factor-form")
    assert data["next"] == INDEX
    data["otp_token"] = code_for_key(key_on(page))
    links = parse(client.post(SET_UP, data).content).find_all("a")
    assert [link.attrs["href"] for link in links if "continue" in link.text] == [INDEX]


# Logging in --------------------------------------------------------------------------------------------


def test_with_an_app_the_login_needs_its_current_code(editor_alice, clock):
    device = TOTPDeviceFactory(user=editor_alice)
    client = Client()
    assert_refused(log_in(client, "alice"))
    wrong = str((int(totp_code(device)) + 1) % 10**6).zfill(6)
    assert_refused(response := log_in(client, "alice", wrong))
    # A wrong password with the right code is refused the same way: the answer never tells which was wrong.
    assert error_notes(log_in(client, "alice", totp_code(device), password="not it")) == error_notes(response)
    assert client.get(INDEX)["Location"].startswith(LOGIN)
    assert failures("alice") == 3

    clock.shift(datetime.timedelta(seconds=10))  # django-otp holds a device back for seconds after wrong codes.
    response = log_in(client, "alice", totp_code(device))
    assert response.status_code == 302 and response["Location"] == INDEX
    assert client.get(INDEX).status_code == 200
    assert failures("alice") == 0  # A successful login clears the count.


def test_a_code_from_the_last_or_next_time_step_is_accepted_for_clock_drift(editor_alice, clock):
    device = TOTPDeviceFactory(user=editor_alice)
    assert log_in(Client(), "alice", totp_code(device, at=NOW.timestamp() - 30)).status_code == 302


def test_a_code_that_has_logged_in_once_is_refused_and_counted(editor_alice, clock):
    device = TOTPDeviceFactory(user=editor_alice)
    code = totp_code(device)
    client = Client()
    assert log_in(client, "alice", code).status_code == 302
    client.post(reverse("admin:logout"))

    clock.shift(datetime.timedelta(seconds=20))  # Still the same time step: the app still shows this code.
    assert_refused(log_in(client, "alice", code))
    assert failures("alice") == 1
    clock.shift(datetime.timedelta(seconds=10))  # The next step's code is new.
    assert log_in(client, "alice", totp_code(device)).status_code == 302


def test_the_code_that_confirmed_the_app_cannot_log_in(editor_alice, clock):
    client, device, _codes = set_up_and_log_out()
    assert_refused(log_in(client, "alice", totp_code(device)))


def test_six_wrong_codes_lock_the_login_out_like_wrong_passwords(editor_alice, clock):
    device = TOTPDeviceFactory(user=editor_alice)
    client = Client()
    for attempt in range(6):
        response = log_in(client, "alice", f"{attempt:06d}" if f"{attempt:06d}" != totp_code(device) else "999999")
        clock.shift(datetime.timedelta(seconds=20))
    assert response.status_code == 429 and "Login locked for 15 minutes" in text_of(response)
    response = log_in(client, "alice", totp_code(device))  # The right code too, until the cool-off ends.
    assert response.status_code == 429
    assert client.get(INDEX)["Location"].startswith(LOGIN)
    clock.shift(datetime.timedelta(minutes=15))
    assert log_in(client, "alice", totp_code(device)).status_code == 302


def test_a_backup_code_logs_in_once(editor_alice, clock):
    client, _device, codes = set_up_and_log_out()

    assert log_in(client, "alice", f" {codes[0].upper()} ").status_code == 302  # As typed from paper.
    assert client.get(INDEX).status_code == 200
    client.post(reverse("admin:logout"))
    assert_refused(log_in(client, "alice", codes[0]))
    assert failures("alice") == 1
    clock.shift(datetime.timedelta(seconds=10))
    assert log_in(client, "alice", codes[1]).status_code == 302
    assert StaticToken.objects.filter(device__user=editor_alice).count() == 8


def test_new_backup_codes_replace_the_old_ones(editor_alice, clock):
    client = Client()
    log_in(client, "alice")
    _device, old = set_up(client)
    response = client.post(OVERVIEW)
    new = [item.text for item in parse(response.content).find(id="backup-codes").find_all("code")]
    assert len(new) == 10 and not set(new) & set(old)
    client.post(reverse("admin:logout"))
    assert log_in(client, "alice", old[0]).status_code == 200
    clock.shift(datetime.timedelta(seconds=10))
    assert log_in(client, "alice", new[0]).status_code == 302


def test_a_session_from_before_the_second_factor_must_log_in_again_with_a_code(editor_alice, clock):
    """As after deploying this: the session is logged in, but not verified by her device."""
    device = TOTPDeviceFactory(user=editor_alice)
    client = Client()
    client.force_login(editor_alice)
    response = client.get(INDEX, follow=True)
    assert response.redirect_chain[-1][0].startswith(LOGIN)
    assert "log in again with a code" in text_of(response)
    assert log_in(client, "alice", totp_code(device)).status_code == 302
    assert client.get(INDEX).status_code == 200


def test_site_admins_see_the_devices_but_never_a_key(editor_client, editor_alice):
    device = TOTPDeviceFactory(user=editor_alice)
    changelist = editor_client.get(reverse("admin:otp_totp_totpdevice_changelist"))
    assert changelist.status_code == 200 and "alice" in text_of(changelist)
    change = editor_client.get(reverse("admin:otp_totp_totpdevice_change", args=[device.pk]))
    assert device.key not in change.content.decode()
    assert editor_client.get(reverse("admin:otp_totp_totpdevice_config", args=[device.pk])).status_code == 403


# Resetting ---------------------------------------------------------------------------------------------


def test_the_reset_command_removes_the_devices_and_ends_the_sessions(editor_alice, django_user_model, clock):
    verified = log_in_verified(Client(), editor_alice)
    StaticDevice.objects.create(user=editor_alice, name="Backup codes").token_set.create(token="abcdefgh")
    other = log_in_verified(Client(), django_user_model.objects.create_superuser("root", password=None))

    call_command("reset_second_factor", "alice", "--yes", verbosity=0)

    assert not TOTPDevice.objects.filter(user=editor_alice).exists()
    assert not StaticDevice.objects.filter(user=editor_alice).exists()
    assert verified.get(INDEX)["Location"].startswith(LOGIN)  # Logged out: the new one is set up after the password.
    assert Session.objects.count() == 1 and other.get(INDEX).status_code == 200
    response = log_in(client := Client(), "alice")
    assert response.status_code == 302
    assert client.get(INDEX, follow=True).redirect_chain[-1][0].startswith(SET_UP)


def test_the_reset_command_asks_first(editor_alice, monkeypatch):
    TOTPDeviceFactory(user=editor_alice)
    monkeypatch.setattr("builtins.input", lambda question: "no")
    with pytest.raises(CommandError, match="Nothing changed"):
        call_command("reset_second_factor", "alice")
    assert TOTPDevice.objects.filter(user=editor_alice).exists()
    monkeypatch.setattr("builtins.input", lambda question: "yes")
    call_command("reset_second_factor", "alice", verbosity=0)
    assert not TOTPDevice.objects.filter(user=editor_alice).exists()


def test_the_reset_command_names_an_unknown_user():
    with pytest.raises(CommandError, match="No user is called 'nobody'"):
        call_command("reset_second_factor", "nobody", "--yes")


def test_a_login_with_only_a_username_is_a_form_error(editor_alice):
    response = Client().post(LOGIN, {"username": "alice", "otp_token": "123456"})
    assert response.status_code == 200 and parse(response.content).find(class_="errorlist") is not None
    assert failures("alice") == 0
