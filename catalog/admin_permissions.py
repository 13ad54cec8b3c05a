"""Only those who may publish touch what is published (README: Roles and permissions).

The groups' model permissions (soundtrack_site/roles.py) let contributors add, change and delete
albums, reviews, lists and articles; these mixins narrow that to drafts for anyone without the
item's publish permission (catalog.publish_album, reviews.publish_review, ...):

- a published or scheduled item, and everything that belongs to it, opens view-only (its inlines
  too) and cannot be deleted, alone or with something else;
- status and publish-at time are read-only, and what they add is a draft whatever the form posts;
- a version (revert, recover) may be saved only if it changes, deletes or brings back no published or
  scheduled item, as it is now or as it was in the version: an album's reviews and places in lists too.
"""

from django.core.exceptions import ValidationError

from .models import Status
from .revisions import touched_by_revert

LOCKED_MESSAGE = "“{}” is published or scheduled: only an editor who may publish it can change it."
REVERT_REFUSED = (
    "Only an editor who may publish them can save this version: it would change, delete or bring back "
    "what is published or scheduled, now or in this version: {}."
)


def may_publish(user, model):
    """Whether the user holds the model's publish permission ("catalog.publish_album")."""
    return user.has_perm(f"{model._meta.app_label}.publish_{model._meta.model_name}")


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


class PublishGuard:
    """`publishable` is the relation to the publishable item that decides: "" for the model itself."""

    publishable = ""

    def publishable_model(self):
        return self.model._meta.get_field(self.publishable).related_model if self.publishable else self.model

    def may_publish(self, request):
        return may_publish(request.user, self.publishable_model())

    def locked(self, request, obj):
        item = getattr(obj, self.publishable) if self.publishable and obj is not None else obj
        return is_live(item) and not self.may_publish(request)

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not self.publishable and not self.may_publish(request):
            fields += [name for name in ("status", self.model.publish_field) if name not in fields]
        return fields


class PublishGuardMixin(PublishGuard):
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
        # as it was then.
        refused = [
            item.name for item in touched_by_revert(revision, lock)
            if (not item.placed or any(map(is_live, item.states))) and not may_publish(request.user, item.model)
        ]
        return REVERT_REFUSED.format("; ".join(f"“{name}”" for name in refused)) if refused else None


class PublishGuardInlineMixin(PublishGuard):
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
