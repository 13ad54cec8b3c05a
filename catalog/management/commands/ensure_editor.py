"""Make sure a local editor login exists, and say how to use it (development only)."""

import secrets
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

PASSWORD_FILE = Path(settings.BASE_DIR) / ".editor-password"


class Command(BaseCommand):
    help = "Create or repair the local 'editor' account and print its login (only with DJANGO_DEBUG on)."

    def add_arguments(self, parser):
        parser.add_argument("--username", default="editor")
        parser.add_argument("--url", default="http://127.0.0.1:8000/admin/")

    def handle(self, *args, username, url, **options):
        if not settings.DEBUG:
            raise CommandError("ensure_editor is for local development: set DJANGO_DEBUG=1. "
                               "In production, use createsuperuser.")
        # The password is generated once per checkout and kept out of git, so every
        # `make run` prints the same login and no fixed password ships with the code.
        if PASSWORD_FILE.exists():
            password = PASSWORD_FILE.read_text().strip()
        else:
            password = secrets.token_urlsafe(12)
            PASSWORD_FILE.write_text(password + "\n")
            PASSWORD_FILE.chmod(0o600)
        user, created = get_user_model().objects.get_or_create(username=username)
        if created or not user.check_password(password) or not (user.is_staff and user.is_superuser):
            user.is_staff = user.is_superuser = user.is_active = True
            user.set_password(password)
            user.save()
        self.stdout.write(self.style.SUCCESS(
            f"Editor login: {url}  user: {username}  password: {password}  (kept in {PASSWORD_FILE.name})"
        ))
