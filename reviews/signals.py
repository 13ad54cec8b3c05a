"""Keep each album's stored aggregate (AlbumScore) in step with its reviews."""

from django.db.models import QuerySet
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from catalog.models import Album

from .models import AlbumScore, Review


@receiver(post_save, sender=Review, dispatch_uid="refresh_score_on_review_save")
def refresh_score_on_save(sender, instance, **kwargs):
    AlbumScore.refresh(instance.album_id, getattr(instance, "loaded_album_id", None))
    instance.loaded_album_id = instance.album_id


@receiver(post_delete, sender=Review, dispatch_uid="refresh_score_on_review_delete")
def refresh_score_on_delete(sender, instance, origin=None, **kwargs):
    # When the album itself is being deleted its score goes with it: recomputing it
    # midway would recreate a row for an album that is about to disappear.
    if isinstance(origin, Album) or (isinstance(origin, QuerySet) and origin.model is Album):
        return
    AlbumScore.refresh(instance.album_id)
