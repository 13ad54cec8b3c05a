"""Previews: staff open the public page of a draft or scheduled item and see it as visitors will.

Visitors get published() and a 404 for anything else. A member of staff who may view the model
gets every row, and a page whose item is not live is a preview: it carries a banner (base.html),
is kept out of shared caches and search engines, and counts no article view.
"""

from dataclasses import dataclass
from datetime import datetime

from django.utils.cache import patch_cache_control
from django.utils.functional import cached_property

from soundtrack_site.two_factor import second_factor_satisfied

from .models.base import permission_name


def may_preview(user, model):
    """Staff with the admin's view (or change) permission on the model, and the second factor the admin asks of
    them: without it a draft is as hidden as the admin is."""
    if not (user.is_active and user.is_staff and second_factor_satisfied(user)):
        return False
    return any(user.has_perm(permission_name(model, action)) for action in ("view", "change"))


def keep_private(response):
    """Not stored by any cache on the way, and not indexed even if its address leaks."""
    patch_cache_control(response, private=True, no_store=True)
    response["X-Robots-Tag"] = "noindex"
    return response


@dataclass(frozen=True)
class Preview:
    """What the preview banner says: the item's state and, when scheduled, when it goes live."""

    noun: str
    state: str  # "draft", "scheduled", or "published" when only parts of the page are not
    goes_live: datetime | None = None
    parts: bool = False  # The page also shows its unpublished parts, each marked as such.

    @classmethod
    def of(cls, obj, parts=False):
        goes_live = getattr(obj, obj.publish_field) if obj.is_scheduled else None
        return cls(obj._meta.verbose_name, obj.publication_state, goes_live, parts)


class PreviewMixin:
    """For a DetailView of a Publishable model whose `queryset` is not yet filtered by published().

    With `previews_parts`, `?preview` on a live item's page previews its unpublished parts too
    (an album's draft and scheduled reviews, linked from the review's admin page).
    """

    previews_parts = False

    @cached_property
    def may_preview(self):
        return may_preview(self.request.user, self.get_queryset_model())

    def get_queryset_model(self):
        return self.model or self.queryset.model

    def get_queryset(self):
        queryset = super().get_queryset()
        return queryset if self.may_preview else queryset.published()

    @cached_property
    def preview(self):
        """The banner's facts for a preview, or None for the page visitors see."""
        if not self.may_preview:
            return None
        parts = self.previews_parts and "preview" in self.request.GET
        return Preview.of(self.object, parts) if parts or not self.object.is_published else None

    def get_context_data(self, **kwargs):
        return super().get_context_data(preview=self.preview, **kwargs)

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        return keep_private(response) if self.preview else response
