from django.db import migrations, models


class Migration(migrations.Migration):
    """Indexes behind the public filters and orderings."""

    dependencies = [
        ("reviews", "0001_initial"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="albumscore",
            index=models.Index(fields=["review_count"], name="reviews_alb_review__d29058_idx"),
        ),
        migrations.AddIndex(
            model_name="review",
            index=models.Index(fields=["score"], name="reviews_rev_score_de8593_idx"),
        ),
    ]
