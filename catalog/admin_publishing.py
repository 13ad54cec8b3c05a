"""What the admins of albums, reviews, best-of lists and articles share: their publication state.

Scheduling needs no action: an editor sets the publish-at time in the form (a future time schedules
the item, an empty one means now). The actions publish at once or return to draft, and only users
holding the model's publish permission are offered them or may run them.
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format

from .models import Status
from .models.base import live_q


class PublicationStateFilter(admin.SimpleListFilter):
    title = "publication state"
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [("draft", "Draft"), ("scheduled", "Scheduled"), ("published", "Published")]

    def queryset(self, request, queryset):
        # The model's own state: a published review of a draft album is "published" here.
        states = {"draft": queryset.drafts, "scheduled": queryset.scheduled, "published": queryset.live}
        return states[self.value()]() if self.value() in states else queryset


class PublishingAdminMixin:
    """Mixed into a ModelAdmin of a Publishable model: list it with PublicationStateFilter and the
    `state` column, and offer its actions with `actions = ["publish_now", "unpublish"]`."""

    def has_publish_permission(self, request):
        """May publish, schedule and unpublish: `<app>.publish_<model>` (the roles module grants it)."""
        opts = self.opts
        return request.user.has_perm(f"{opts.app_label}.publish_{opts.model_name}")

    @admin.display(description="Publication")
    def state(self, obj):
        state = obj.publication_state
        when = getattr(obj, obj.publish_field)
        if state == "draft" or when is None:
            return "Draft"
        label = "Scheduled for" if state == "scheduled" else "Published"
        return f"{label} {date_format(timezone.localtime(when), 'j M Y, H:i')}"

    def view_on_site(self, obj):
        """The public page; staff who may view the model see a draft or scheduled one as a preview."""
        return obj.get_absolute_url()

    @admin.action(description="Publish now", permissions=["publish"])
    def publish_now(self, request, queryset):
        """Drafts and scheduled items go live now; a past publish-at time is kept (the item's place in feeds)."""
        live = live_q(publish_field=self.model.publish_field)
        changed = self._change_each(request, queryset.exclude(live), "Published now", now=timezone.now())
        self._report(request, f"Published {changed} {self._noun(changed)} now.", changed)

    @admin.action(description="Unpublish (back to draft)", permissions=["publish"])
    def unpublish(self, request, queryset):
        changed = self._change_each(request, queryset.exclude(status=Status.DRAFT), "Returned to draft")
        self._report(request, f"Returned {changed} {self._noun(changed)} to draft.", changed)

    def _change_each(self, request, queryset, message, now=None):
        """Publish (at `now`) or unpublish each row with save(), so that its signals run (a review's
        album aggregate), its change time moves and the admin's history records it."""
        if not self.has_publish_permission(request):  # Django checks too; this keeps a direct call honest.
            raise PermissionDenied
        pks = list(queryset.values_list("pk", flat=True))  # The changelist's query may GROUP BY.
        with transaction.atomic():
            objects = list(self.model._default_manager.filter(pk__in=pks).select_for_update())
            for obj in objects:
                field = obj.publish_field
                obj.status = Status.PUBLISHED if now else Status.DRAFT
                when = getattr(obj, field)
                if now and (when is None or when > now):
                    setattr(obj, field, now)
                obj.save()
                self.log_change(request, obj, message)
        return len(objects)

    def _report(self, request, message, changed):
        self.message_user(request, message, messages.SUCCESS if changed else messages.INFO)

    def _noun(self, count):
        opts = self.opts
        return str(opts.verbose_name if count == 1 else opts.verbose_name_plural)
