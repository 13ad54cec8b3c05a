"""Remove a user's second factor (a lost phone and lost backup codes), so that they set up a new one."""

from django.contrib.auth import SESSION_KEY, get_user_model
from django.contrib.sessions.models import Session
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from django_otp import devices_for_user


class Command(BaseCommand):
    help = (
        "Remove every second-factor device of a user (authenticator apps, backup codes) and end their sessions: "
        "at their next login, with their password, they set up a new one (README: Second factor)."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--yes", action="store_true", help="Do not ask for confirmation.")

    def handle(self, *args, username, yes, **options):
        try:
            user = get_user_model().objects.get_by_natural_key(username)
        except get_user_model().DoesNotExist as error:
            raise CommandError(f"No user is called {username!r}.") from error
        devices = list(devices_for_user(user, confirmed=None))
        if not yes:
            question = (f"Remove {len(devices)} second-factor device(s) of {username} and log them out everywhere? "
                        "Type 'yes' to go on: ")
            try:
                answer = input(question)
            except EOFError:  # No terminal to ask on.
                answer = ""
            if answer.strip().lower() != "yes":
                raise CommandError("Nothing changed. (Pass --yes to reset without being asked.)")
        with transaction.atomic():
            for device in devices:
                device.delete()
            # A session they left open, verified or not, must not be where the new second factor is set up:
            # that needs the password again. Sessions are in the database (settings: no SESSION_ENGINE).
            sessions = [
                session.pk for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator()
                if session.get_decoded().get(SESSION_KEY) == str(user.pk)
            ]
            Session.objects.filter(pk__in=sessions).delete()
        self.stdout.write(self.style.SUCCESS(
            f"Removed {len(devices)} second-factor device(s) of {username} and ended {len(sessions)} session(s). "
            "They set up a new second factor at their next login."
        ))
