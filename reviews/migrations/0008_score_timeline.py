"""AlbumScore becomes a timeline (reviews/models/aggregates.py): its values move to ScorePeriod rows, one per period
between the publish-at times of an album's scheduled reviews, and a GET no longer writes the aggregate.

Each album's periods are computed here from its published reviews, as AlbumScore.refresh does; the code is copied
rather than imported, so that this migration keeps working as the app changes.
"""

import django.db.models.deletion
import django.utils.timezone
from decimal import ROUND_HALF_UP, Decimal

from django.db import migrations, models
from django.utils import timezone


def aggregate(scores):
    scored = [score for score in scores if score is not None]
    mean = Decimal(sum(scored)) / len(scored) if scored else None
    return {
        "mean": round(mean, 1) if mean is not None else None,
        "score": int(mean.quantize(Decimal("1"), rounding=ROUND_HALF_UP)) if mean is not None else None,
        "scored_count": len(scored),
        "review_count": len(scores),
    }


def compute_periods(apps, schema_editor):
    AlbumScore = apps.get_model("reviews", "AlbumScore")
    Review = apps.get_model("reviews", "Review")
    ScorePeriod = apps.get_model("reviews", "ScorePeriod")
    now = timezone.now()
    periods = []
    for album_id in AlbumScore.objects.values_list("album_id", flat=True):
        reviews = list(Review.objects.filter(album_id=album_id, status="published").values_list("publish_at", "score"))
        changes = sorted({publish_at for publish_at, _score in reviews if publish_at > now})
        starts = [None, *changes]
        for position, (start, end) in enumerate(zip(starts, [*changes, None])):
            scores = [score for publish_at, score in reviews if publish_at <= (start or now)]
            periods.append(ScorePeriod(album_id=album_id, position=position, starts_at=start, ends_at=end,
                                       **aggregate(scores)))
    ScorePeriod.objects.bulk_create(periods)


class Migration(migrations.Migration):

    dependencies = [
        ('catalog', '0005_renderable_values'),
        ('reviews', '0007_search'),
    ]

    operations = [
        migrations.CreateModel(
            name='ScorePeriod',
            fields=[
                ('pk', models.CompositePrimaryKey('album', 'position', blank=True, editable=False, primary_key=True, serialize=False)),
                ('album', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='score_periods', to='catalog.album')),
                ('position', models.PositiveSmallIntegerField()),
                ('starts_at', models.DateTimeField(blank=True, help_text='When a scheduled review joins; none at first.', null=True)),
                ('ends_at', models.DateTimeField(blank=True, help_text='When the next one joins; none for the last.', null=True)),
                ('mean', models.DecimalField(blank=True, decimal_places=1, max_digits=4, null=True)),
                ('score', models.PositiveSmallIntegerField(blank=True, help_text='The mean, rounded half up.', null=True)),
                ('scored_count', models.PositiveIntegerField(default=0)),
                ('review_count', models.PositiveIntegerField(default=0, help_text='Published reviews, scored or not.')),
            ],
            options={
                'ordering': ['album_id', 'position'],
            },
        ),
        migrations.AlterModelOptions(
            name='albumscore',
            options={'base_manager_name': 'objects', 'ordering': ['album_id']},
        ),
        migrations.RemoveConstraint(
            model_name='albumscore',
            name='album_score_0_100',
        ),
        migrations.RemoveConstraint(
            model_name='albumscore',
            name='album_score_mean_digits',
        ),
        migrations.RemoveIndex(
            model_name='albumscore',
            name='reviews_alb_score_d0a6e8_idx',
        ),
        migrations.RemoveIndex(
            model_name='albumscore',
            name='reviews_alb_scored__6416fc_idx',
        ),
        migrations.RemoveIndex(
            model_name='albumscore',
            name='reviews_alb_review__d29058_idx',
        ),
        migrations.RemoveIndex(
            model_name='albumscore',
            name='album_score_due_idx',
        ),
        migrations.RemoveField(
            model_name='albumscore',
            name='mean',
        ),
        migrations.RemoveField(
            model_name='albumscore',
            name='next_change_at',
        ),
        migrations.RemoveField(
            model_name='albumscore',
            name='review_count',
        ),
        migrations.RemoveField(
            model_name='albumscore',
            name='score',
        ),
        migrations.RemoveField(
            model_name='albumscore',
            name='scored_count',
        ),
        migrations.AlterField(
            model_name='albumscore',
            name='updated_at',
            field=models.DateTimeField(default=django.utils.timezone.now),
        ),
        migrations.AddConstraint(
            model_name='scoreperiod',
            constraint=models.CheckConstraint(condition=models.Q(('score__isnull', True), models.Q(('score__gte', 0), ('score__lte', 100)), _connector='OR'), name='score_period_0_100'),
        ),
        migrations.AddConstraint(
            model_name='scoreperiod',
            constraint=models.CheckConstraint(condition=models.Q(('starts_at__isnull', True), ('ends_at__isnull', True), ('starts_at__lt', models.F('ends_at')), _connector='OR'), name='score_period_starts_before_it_ends'),
        ),
        migrations.AddConstraint(
            model_name='scoreperiod',
            constraint=models.CheckConstraint(condition=models.Q(('mean__isnull', True), models.Q(('mean__gt', Decimal('-1000')), ('mean__lt', Decimal('1000'))), _connector='OR'), name='score_period_mean_digits', violation_error_message='Enter a number with at most 3 digits before the decimal point.'),
        ),
        migrations.RunPython(compute_periods, migrations.RunPython.noop),
    ]
