from django.db import migrations


class Migration(migrations.Migration):
    """Site search: PostgreSQL extensions and indexes (nothing on SQLite)."""

    dependencies = [
        ("catalog", "0002_browse_indexes"),
        ("reviews", "0002_browse_indexes"),
    ]

    operations = []
