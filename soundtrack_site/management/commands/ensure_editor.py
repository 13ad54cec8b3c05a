"""Make sure a local editor login exists, with its second factor, and say how to use it (development only)."""

import secrets
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice, default_key

from soundtrack_site.two_factor import typed_key

PASSWORD_FILE = Path(settings.BASE_DIR) / ".editor-password"
KEY_FILE = Path(settings.BASE_DIR) / ".editor-totp-key"
DEVICE_NAME = "make run"


def kept_secret(path, make):
    """The secret in `path`, made once per checkout and kept out of git, so that every `make run` prints the
    same login and no fixed secret ships with the code."""
    if path.exists():
        return path.read_text().strip()
    secret = make()
    path.write_text(secret + "\n")
    path.chmod(0o600)
    return secret


class Command(BaseCommand):
    help = (
        "Create or repair the local 'editor' account and its authenticator-app key, and print its login "
        "(only with DJANGO_DEBUG on). --code prints the app's current code instead."
    )

    def add_arguments(self, parser):
        parser.add_argument("--username", default="editor")
        parser.add_argument("--url", default="http://127.0.0.1:8000/admin/")
        parser.add_argument("--code", action="store_true", help="Print the current code of the editor's key.")

    def handle(self, *args, username, url, code, **options):
        if not settings.DEBUG:
            raise CommandError("ensure_editor is for local development: set DJANGO_DEBUG=1. "
                               "In production, use createsuperuser.")
        password = kept_secret(PASSWORD_FILE, lambda: secrets.token_urlsafe(12))
        key = kept_secret(KEY_FILE, default_key)
        user, created = get_user_model().objects.get_or_create(username=username)
        if created or not user.check_password(password) or not (user.is_staff and user.is_superuser):
            user.is_staff = user.is_superuser = user.is_active = True
            user.set_password(password)
            user.save()
        # A superuser logs in with a second factor: this device holds the checkout's key, so the same key
        # (in an authenticator app, or through --code) keeps working across `make run`s and reset databases.
        device, _ = TOTPDevice.objects.update_or_create(
            user=user, name=DEVICE_NAME, defaults={"key": key, "confirmed": True}
        )
        if code:
            self.stdout.write(f"{TOTP(device.bin_key).token():06d}")
            return
        self.stdout.write(self.style.SUCCESS(
            f"Editor login: {url}  user: {username}  password: {password}  (kept in {PASSWORD_FILE.name})\n"
            f"Code: from an authenticator app given the key {typed_key(device)} (kept in {KEY_FILE.name}), "
            "or `make editor-code` for the current one."
        ))
