"""Recompute every album's stored aggregate from its reviews (after loaddata, for instance)."""

from django.core.management.base import BaseCommand

from catalog.models import Album
from reviews.models import AlbumScore


class Command(BaseCommand):
    help = "Recompute the stored review aggregate of every album."

    def handle(self, *args, **options):
        album_ids = list(Album.objects.values_list("pk", flat=True))
        AlbumScore.refresh(*album_ids)
        self.stdout.write(f"Refreshed the review aggregate of {len(album_ids)} album(s).")
