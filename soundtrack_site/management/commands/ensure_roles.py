"""Create the Contributor and Editor groups, or bring their permissions back to the documented table."""

from django.core.management.base import BaseCommand, CommandError

from soundtrack_site.roles import sync_groups


class Command(BaseCommand):
    help = (
        "Give the Contributor and Editor groups exactly the permissions in soundtrack_site/roles.py "
        "(README: Roles and permissions) and take auth permissions away from every group. Safe to repeat; "
        "migrate runs it too."
    )

    def add_arguments(self, parser):
        parser.add_argument("--database", default="default")

    def handle(self, *args, database, **options):
        try:
            changes = sync_groups(using=database)
        except LookupError as error:
            raise CommandError(str(error)) from error
        for group, changed in changes.items():
            self.stdout.write(f"{group}: {', '.join(changed)}")
        self.stdout.write(self.style.SUCCESS("Roles are up to date." if not changes else "Roles synced."))
