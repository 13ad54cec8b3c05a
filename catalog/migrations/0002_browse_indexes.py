import django.db.models.functions.comparison
import django.db.models.functions.text
from django.db import migrations, models


class Migration(migrations.Migration):
    """Indexes behind the public filters and orderings."""

    dependencies = [
        ("catalog", "0001_initial"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="album",
            index=models.Index(fields=["status", "album_type"], name="catalog_alb_status_3961c4_idx"),
        ),
        migrations.AddIndex(
            model_name="album",
            index=models.Index(
                models.F("status"),
                django.db.models.functions.comparison.NullIf("release_date", models.Value("")),
                name="album_status_dated_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="album",
            index=models.Index(django.db.models.functions.text.Lower("title"), name="album_title_lower_idx"),
        ),
        migrations.AddIndex(
            model_name="artist",
            index=models.Index(django.db.models.functions.text.Lower("name"), name="artist_name_lower_idx"),
        ),
        migrations.AddIndex(
            model_name="film",
            index=models.Index(django.db.models.functions.text.Lower("title"), name="film_title_lower_idx"),
        ),
        migrations.AddIndex(
            model_name="track",
            index=models.Index(fields=["length"], name="catalog_tra_length_f78b85_idx"),
        ),
    ]
