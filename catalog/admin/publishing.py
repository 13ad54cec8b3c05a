"""Publishing in the admin, and the one rule of who may touch what is published (README: Roles and permissions).

Scheduling needs no action: an editor sets the publish-at time in the form (a future time schedules the item,
an empty one means now). The actions publish at once or return to draft.

The groups' model permissions (soundtrack_site/roles.py) let contributors add, change and delete albums,
reviews, lists and articles; the rule narrows that to drafts for anyone without the item's publish permission
(Publishable.may_be_published_by: catalog.publish_album, reviews.publish_review, ...):

- a published or scheduled item, and everything that belongs to it, opens view-only (its inlines too) and
  cannot be deleted, alone or with something else;
- status and publish-at time are read-only, what they add is a draft whatever the form posts, and the
  publish actions are neither offered nor run;
- a version (revert, recover) may be saved only if it changes, deletes or brings back no published or
  scheduled item, as it is now or as it was in the version: an album's reviews and places in lists too;
- an import may not change or add to what is published or scheduled, nor publish (imports.py).

PublishRule says it for an admin class: PublishRuleAdmin for a ModelAdmin, PublishRuleInline for inline
rows; PublishingAdmin is the ModelAdmin of a publishable model itself, with its state column and actions.
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format

from ..models import Status
from ..models.base import live_q, permission_name
from .history import touched_by_revert

LOCKED_MESSAGE = "“{}” is published or scheduled: only an editor who may publish it can change it."
REVERT_REFUSED = (
    "Only an editor who may publish them can save this version: it would change, delete or bring back "
    "what is published or scheduled, now or in this version: {}."
)


def is_live(item):
    """Published or scheduled: the state visitors see, or will see without anyone's further say."""
    return item is not None and item.status == Status.PUBLISHED


def drafts_only(form_class):
    """The form class, with a new object starting (and shown) as a draft without a publish-at time."""

    class DraftsOnlyForm(form_class):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            if self.instance._state.adding:
                self.instance.status = Status.DRAFT
                setattr(self.instance, self.instance.publish_field, None)

    DraftsOnlyForm.__name__ = form_class.__name__
    return DraftsOnlyForm


class PublishRule:
    """`publishable` is the relation to the publishable item that decides: "" for the model itself."""

    publishable = ""

    def publishable_model(self):
        return self.model._meta.get_field(self.publishable).related_model if self.publishable else self.model

    def may_publish(self, request):
        return self.publishable_model().may_be_published_by(request.user)

    def locked(self, request, obj):
        item = getattr(obj, self.publishable) if self.publishable and obj is not None else obj
        return is_live(item) and not self.may_publish(request)

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not self.publishable and not self.may_publish(request):
            fields += [name for name in ("status", self.model.publish_field) if name not in fields]
        return fields


class PublishRuleAdmin(PublishRule):
    """For the ModelAdmin of a publishable model, or of a model that belongs to one (`publishable`)."""

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not self.locked(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not self.locked(request, obj)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        return form if self.publishable or self.may_publish(request) else drafts_only(form)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        # What belongs to a published album (or list) cannot be moved to one, or added to one.
        if self.publishable and db_field.name == self.publishable and not self.may_publish(request):
            kwargs["queryset"] = db_field.related_model._default_manager.filter(status=Status.DRAFT)
            kwargs["error_messages"] = {
                "invalid_choice": "Only an editor who may publish it can add to a published or scheduled "
                f"{db_field.related_model._meta.verbose_name}: choose a draft.",
            }
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        if not self.publishable and not self.may_publish(request):
            obj.status = Status.DRAFT  # The rule itself; the read-only field only shows it.
        super().save_model(request, obj, form, change)

    def revert_refusal(self, request, revision, lock=False):
        # django-reversion reverts first and then checks only the item in the URL, as reverted: a draft
        # version would unpublish it, and the revision's other rows (an album's reviews, its places in
        # lists) would change unchecked. So every item the revert writes to decides, as it is now and
        # as it was then. A model nothing places (history.BELONGS_TO) has no publish permission to hold:
        # only superusers, who hold every permission, may save it.
        refused = [
            item.name for item in touched_by_revert(revision, lock)
            if (not item.placed or any(map(is_live, item.states)))
            and not request.user.has_perm(permission_name(item.model, "publish"))
        ]
        return REVERT_REFUSED.format("; ".join(f"“{name}”" for name in refused)) if refused else None


class PublishRuleInline(PublishRule):
    """For inline rows that are themselves publishable (reviews on the album page, `publishable = ""`) or
    belong to a publishable other than the page's object (places in best-of lists, "best_of_list").

    Rows cannot be read-only one by one, so a change to a row that is published, or that belongs to
    something published, is refused when the page is saved.
    """

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        if self.may_publish(request):
            return formset
        if not self.publishable:
            formset.form = drafts_only(formset.form)
        return type(formset.__name__, (LockedRowsFormSet, formset), {"publishable": self.publishable})


class LockedRowsFormSet:
    publishable = ""

    def clean(self):
        super().clean()
        refused = []
        for form in self.forms:
            if not (form.has_changed() or self._should_delete_form(form)):
                continue
            item = getattr(form.instance, self.publishable, None) if self.publishable else form.instance
            stored = self.stored_item(form.instance)
            if is_live(item) or is_live(stored):
                refused.append(LOCKED_MESSAGE.format(stored or item))
        if refused:
            raise ValidationError(refused)

    def stored_item(self, instance):
        """The row's publishable as the database has it, before this form's changes."""
        if instance.pk is None:
            return None
        row = type(instance)._default_manager.filter(pk=instance.pk)
        if not self.publishable:
            return row.first()
        related = instance._meta.get_field(self.publishable).related_model
        return related._default_manager.filter(pk__in=row.values(self.publishable)).first()


class PublicationStateFilter(admin.SimpleListFilter):
    title = "publication state"
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [("draft", "Draft"), ("scheduled", "Scheduled"), ("published", "Published")]

    def queryset(self, request, queryset):
        # The model's own state: a published review of a draft album is "published" here.
        states = {"draft": queryset.drafts, "scheduled": queryset.scheduled, "published": queryset.live}
        return states[self.value()]() if self.value() in states else queryset


class PublishingAdmin(PublishRuleAdmin):
    """The ModelAdmin of a publishable model: the rule, and its publication state in the list (put
    PublicationStateFilter in `list_filter` and `state` in `list_display`) and as actions."""

    actions = ["publish_now", "unpublish"]

    def has_publish_permission(self, request):
        """May publish, schedule and unpublish: what the actions with permissions=["publish"] ask."""
        return self.may_publish(request)

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
