"""The management commands that `make run` calls."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.management import CommandError, call_command
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from soundtrack_site.management.commands import ensure_editor
from soundtrack_site.two_factor import typed_key

pytestmark = pytest.mark.django_db


@pytest.fixture
def password_file(tmp_path, monkeypatch):
    path = tmp_path / ".editor-password"
    monkeypatch.setattr(ensure_editor, "PASSWORD_FILE", path)
    monkeypatch.setattr(ensure_editor, "KEY_FILE", tmp_path / ".editor-totp-key")  # Not the checkout's.
    return path


def test_ensure_editor_creates_a_staff_login_and_keeps_its_password(settings, password_file, capsys, client):
    settings.DEBUG = True
    call_command("ensure_editor")
    password = password_file.read_text().strip()
    assert len(password) >= 12
    assert password in capsys.readouterr().out
    user = get_user_model().objects.get(username="editor")
    assert user.is_staff and user.is_superuser and user.check_password(password)

    call_command("ensure_editor")  # A second run reuses the password and adds no user.
    assert password_file.read_text().strip() == password
    assert get_user_model().objects.filter(username="editor").count() == 1
    # Through the login form, as `make run` users do: the password also passes the password validators, and
    # the code `make editor-code` prints is the second factor.
    validate_password(password, user)
    capsys.readouterr()
    call_command("ensure_editor", "--code")
    code = capsys.readouterr().out.strip()
    assert len(code) == 6 and code.isdigit()
    response = client.post(reverse("admin:login"), {"username": "editor", "password": password, "otp_token": code})
    assert response.status_code == 302 and client.get(reverse("admin:index")).status_code == 200


def test_ensure_editor_keeps_the_second_factor_key_of_the_checkout(settings, password_file, capsys):
    settings.DEBUG = True
    call_command("ensure_editor")
    key = password_file.with_name(".editor-totp-key").read_text().strip()
    device = TOTPDevice.objects.get(user__username="editor")
    assert device.key == key and device.confirmed
    assert typed_key(device) in capsys.readouterr().out  # To type into an authenticator app.

    device.delete()  # A reset (manage.py reset_second_factor), or a new database: the same key comes back.
    call_command("ensure_editor")
    assert TOTPDevice.objects.get(user__username="editor").key == key


def test_ensure_editor_repairs_a_changed_password(settings, password_file):
    settings.DEBUG = True
    call_command("ensure_editor")
    user = get_user_model().objects.get(username="editor")
    user.set_password("something-else-entirely")
    user.is_staff = False
    user.save()
    call_command("ensure_editor")
    user.refresh_from_db()
    assert user.is_staff and user.check_password(password_file.read_text().strip())


def test_ensure_editor_refuses_without_debug(settings, password_file):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DJANGO_DEBUG"):
        call_command("ensure_editor")
    assert not password_file.exists()
    assert not get_user_model().objects.exists()

