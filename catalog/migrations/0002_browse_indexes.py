from django.db import migrations


class Migration(migrations.Migration):
    """Indexes behind the public filters and orderings."""

    dependencies = [
        ("catalog", "0001_initial"),
    ]

    operations = []
