"""Login hardening: lockouts after failed logins (django-axes), the password rules, sessions that end, cookies."""

import datetime

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.pages import form_data, text_of

pytestmark = pytest.mark.django_db

LOGIN = reverse("admin:login")
INDEX = reverse("admin:index")
PASSWORD = "a passphrase of some length"
WRONG = "not the passphrase at all"
ADDRESS_LIMIT = 20  # Failures from one address for any usernames; 6 for one username from one address.


@pytest.fixture(autouse=True)
def _fast_hashing(settings):
    """A quick hasher: the lockout tests fail dozens of logins, each a full PBKDF2 hash (~0.3 s) otherwise."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def staff(django_user_model):
    return django_user_model.objects.create_user(username="alice", password=PASSWORD, is_staff=True)


def log_in(client, username, password, **headers):
    return client.post(LOGIN, {"username": username, "password": password, "next": INDEX}, **headers)


def logged_in(client):
    return client.get(INDEX).status_code == 200


def assert_locked(response, minutes=15):
    assert response.status_code == 429
    assert response["Retry-After"] == str(minutes * 60)
    assert f"Login locked for {minutes} minutes" in text_of(response)


def test_six_wrong_passwords_lock_the_username_until_the_cool_off_passes(staff):
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        client = Client()
        for _attempt in range(5):
            response = log_in(client, "alice", WRONG)
            assert response.status_code == 200
            assert "Please enter the correct username and password" in text_of(response)
        assert_locked(log_in(client, "alice", WRONG))

        clock.shift(datetime.timedelta(minutes=1))
        assert_locked(log_in(client, "alice", PASSWORD))  # The right password is refused too...
        assert not logged_in(client)
        clock.shift(datetime.timedelta(minutes=13, seconds=58))
        assert_locked(log_in(client, "alice", PASSWORD))  # ...and trying did not extend the lockout,
        assert not logged_in(client)

        clock.shift(datetime.timedelta(seconds=3))  # which ends 15 minutes after the sixth failure.
        response = log_in(client, "alice", PASSWORD)
        assert response.status_code == 302 and response["Location"] == INDEX
        assert logged_in(client)


def test_failures_from_elsewhere_never_lock_an_editor_out_of_her_own_address(staff):
    """Someone who knows Alice's username can lock it out from their own address only, however often they try."""
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        attacker, alice = Client(REMOTE_ADDR="198.51.100.7"), Client(REMOTE_ADDR="203.0.113.9")
        for _lockout in range(2):  # Locked out, the cool-off passes, locked out again.
            for _attempt in range(5):
                log_in(attacker, "alice", WRONG)
            assert_locked(log_in(attacker, "alice", WRONG))
            assert_locked(log_in(attacker, "alice", PASSWORD))
            response = log_in(alice, "alice", PASSWORD)
            assert response.status_code == 302 and response["Location"] == INDEX
            assert logged_in(alice)
            alice.logout()
            clock.shift(datetime.timedelta(minutes=16))


def test_failures_spread_over_addresses_lock_none_of_them_out(staff):
    for number in range(12):
        assert log_in(Client(REMOTE_ADDR=f"198.51.100.{number}"), "alice", WRONG).status_code == 200
    assert log_in(Client(REMOTE_ADDR="203.0.113.9"), "alice", PASSWORD).status_code == 302


def test_a_username_locked_out_from_an_address_leaves_the_others_there(staff, django_user_model):
    django_user_model.objects.create_user(username="bob", password=PASSWORD, is_staff=True)
    office = Client(REMOTE_ADDR="198.51.100.7")
    for _attempt in range(6):
        log_in(office, "alice", WRONG)
    assert_locked(log_in(office, "alice", PASSWORD))
    assert log_in(Client(REMOTE_ADDR="198.51.100.7"), "bob", PASSWORD).status_code == 302


def test_an_address_is_locked_out_after_20_failures_whatever_the_usernames(staff):
    guesser = Client(REMOTE_ADDR="198.51.100.7")
    for number in range(ADDRESS_LIMIT - 1):
        assert log_in(guesser, f"user{number}", WRONG).status_code == 200
    assert_locked(log_in(guesser, "someone else", WRONG))
    assert_locked(log_in(guesser, "alice", PASSWORD))
    # Alice herself, elsewhere, is not locked out: the failures were not hers.
    elsewhere = Client(REMOTE_ADDR="203.0.113.9")
    assert log_in(elsewhere, "alice", PASSWORD).status_code == 302


def test_a_successful_login_resets_the_count(staff):
    client = Client()
    for _attempt in range(5):
        log_in(client, "alice", WRONG)
    assert log_in(client, "alice", PASSWORD).status_code == 302
    client.logout()
    for _attempt in range(5):
        assert log_in(client, "alice", WRONG).status_code == 200
    assert log_in(client, "alice", PASSWORD).status_code == 302


def test_the_cool_off_follows_the_setting(staff, settings):
    settings.AXES_COOLOFF_TIME = datetime.timedelta(minutes=30)
    for _attempt in range(6):
        response = log_in(Client(), "alice", WRONG)
    assert_locked(response, minutes=30)


def test_a_forged_forwarded_for_header_does_not_escape_the_address_lockout(staff):
    """With no proxy declared, X-Forwarded-For is the client's own text and is ignored."""
    for number in range(ADDRESS_LIMIT):
        log_in(Client(), f"user{number}", WRONG, HTTP_X_FORWARDED_FOR=f"192.0.2.{number}")
    assert_locked(log_in(Client(), "alice", PASSWORD, HTTP_X_FORWARDED_FOR="192.0.2.200"))


def test_behind_a_trusted_proxy_the_address_it_saw_counts(staff, settings):
    """One proxy appends the address it saw; entries to its left are the client's and are ignored."""
    settings.TRUSTED_PROXIES = 1
    for number in range(ADDRESS_LIMIT):
        forged = f"192.0.2.{number}, 198.51.100.7"
        log_in(Client(REMOTE_ADDR="10.0.0.2"), f"user{number}", WRONG, HTTP_X_FORWARDED_FOR=forged)
    assert_locked(log_in(Client(REMOTE_ADDR="10.0.0.2"), "alice", PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.7"))
    # Another visitor behind the same proxy is not locked out with the guesser.
    other = log_in(Client(REMOTE_ADDR="10.0.0.2"), "alice", PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert other.status_code == 302


@pytest.mark.parametrize("header", ["", "not an address", "1.2.3.4, ", "::1, garbage"])
def test_a_malformed_forwarded_for_header_falls_back_to_the_connection(staff, settings, header):
    settings.TRUSTED_PROXIES = 1
    response = log_in(Client(REMOTE_ADDR="10.0.0.2"), "alice", WRONG, HTTP_X_FORWARDED_FOR=header)
    assert response.status_code == 200  # A failed login, counted against 10.0.0.2; no error page.


def test_passwords_need_twelve_characters(editor_client, staff):
    url = reverse("admin:auth_user_password_change", args=[staff.pk])
    eleven = "Qz8-kLm2vRw"
    response = editor_client.post(url, {"password1": eleven, "password2": eleven})
    assert response.status_code == 200
    assert "This password is too short. It must contain at least 12 characters." in text_of(response)
    staff.refresh_from_db()
    assert staff.check_password(PASSWORD)

    twelve = eleven + "x"
    response = editor_client.post(url, {"password1": twelve, "password2": twelve})
    assert response.status_code == 302
    staff.refresh_from_db()
    assert staff.check_password(twelve)


def test_a_new_users_password_is_checked_too(editor_client, django_user_model):
    page = editor_client.get(reverse("admin:auth_user_add"))
    data = form_data(page.content)
    data.update({"username": "bob", "password1": "Qz8-kLm2vRw", "password2": "Qz8-kLm2vRw"})
    response = editor_client.post(reverse("admin:auth_user_add"), data)
    assert "This password is too short" in text_of(response)
    assert not django_user_model.objects.filter(username="bob").exists()


def test_validators_refuse_common_and_numeric_passwords(staff):
    for password in ("password1234", "123456789012"):
        with pytest.raises(ValidationError):
            validate_password(password, staff)


def assert_logged_out(client):
    response = client.get(INDEX)
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)


def test_a_login_ends_with_the_browser_and_after_eight_hours(staff):
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        client = Client()
        response = log_in(client, "alice", PASSWORD)
        cookie = response.cookies[settings.SESSION_COOKIE_NAME]
        assert not cookie["max-age"] and not cookie["expires"]  # A browser-session cookie.
        for _request in range(9):  # A request every 50 minutes, the last at 7:30...
            clock.shift(datetime.timedelta(minutes=50))
            assert logged_in(client)
        clock.shift(datetime.timedelta(minutes=29))
        assert logged_in(client)  # ...and 7:59: working does not extend the login,
        clock.shift(datetime.timedelta(minutes=2))
        assert_logged_out(client)  # which ends at 8 hours.


@pytest.mark.parametrize("idle_minutes", [60, 10], ids=["an hour by default", "DJANGO_SESSION_IDLE_MINUTES=10"])
def test_a_login_ends_after_its_idle_time_without_a_request(staff, settings, idle_minutes):
    if idle_minutes != 60:
        settings.SESSION_IDLE_TIMEOUT = idle_minutes * 60
    with time_machine.travel(timezone.now(), tick=False) as clock:
        client = Client()
        log_in(client, "alice", PASSWORD)
        clock.shift(datetime.timedelta(minutes=idle_minutes - 1))
        assert logged_in(client)
        clock.shift(datetime.timedelta(minutes=idle_minutes - 1))
        assert logged_in(client)  # Each request starts the idle time again...
        clock.shift(datetime.timedelta(minutes=idle_minutes + 1))
        assert_logged_out(client)  # ...and that long without one ends the login,
        clock.shift(datetime.timedelta(minutes=1))
        assert_logged_out(client)  # for good: the session was emptied, not just refused once.
        assert log_in(client, "alice", PASSWORD).status_code == 302
        assert logged_in(client)


def test_public_pages_are_not_activity_and_an_ended_login_is_anonymous_there(staff, settings):
    """Only the admin's requests keep a login alive: a public page writes nothing, not even the session."""
    settings.RATE_LIMITS = {"search": 2, "filter": 2}
    search = reverse("search")
    with time_machine.travel(timezone.now(), tick=False) as clock:
        client = Client()
        log_in(client, "alice", PASSWORD)
        clock.shift(datetime.timedelta(minutes=45))
        for _request in range(3):  # Staff are not rate-limited...
            assert client.get(search, {"q": "honey"}).status_code == 200
        clock.shift(datetime.timedelta(minutes=16))  # ...but 61 minutes after the last admin request,
        for _request in range(2):
            response = client.get(search, {"q": "honey"})
            assert response.status_code == 200 and not response.cookies  # nothing written, not even the cookie,
        assert client.get(search, {"q": "honey"}).status_code == 429  # and Alice is counted as a visitor here.
        assert_logged_out(client)


def test_production_cookies_carry_the_host_prefix(staff):
    """__Host- cookies: browsers keep them only Secure, for path / and without a Domain."""
    client = Client()
    csrf = client.get(LOGIN, secure=True).cookies["__Host-csrftoken"]
    session = log_in(client, "alice", PASSWORD, secure=True).cookies["__Host-sessionid"]
    for cookie in (csrf, session):
        assert cookie["secure"] is True
        assert cookie["path"] == "/"
        assert cookie["domain"] == ""
    assert client.get(INDEX, secure=True).status_code == 200


@pytest.mark.parametrize("url", [
    reverse("catalog:home"),
    f"{reverse('catalog:album-list')}?sort=title",
    f"{reverse('search')}?q=honey",
    f"{reverse('search')}?q=e",
])
def test_anonymous_pages_neither_read_nor_set_a_session(client, url):
    """Public pages stay cacheable: nothing on the way reads or starts a session for a visitor without one."""
    response = client.get(url)
    assert response.status_code == 200
    assert not response.cookies
    assert "cookie" not in response.get("Vary", "").lower()
