"""The admin against hand-made input: three places where Django (5.2) turns a bad value into a 500.

Browsers never send these values; a hand-made request can, and the fuzz tests (tests/fuzz/) did. The
two functions below adjust Django's own classes, once, from apps.py: the admin builds these widgets
and fields itself, so there is no setting or subclass hook that reaches all of them.
"""

from django.contrib.admin.widgets import AutocompleteMixin
from django.core.exceptions import BadRequest, ValidationError
from django.forms.models import ModelMultipleChoiceField


class AdminQueryGuardMiddleware:
    """An admin request with NUL in its query string is a 400, not a 500.

    The changelists turn any field lookup in the query string (?status__exact=…, ?title=…) into a
    filter, and PostgreSQL refuses NUL in text with a DataError. The public pages' filter forms
    answer NUL themselves, with a form error.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.resolver_match.namespace == "admin" and any(
            "\x00" in key or "\x00" in value for key, values in request.GET.lists() for value in values
        ):
            raise BadRequest("NUL character in the query string.")


def refuse_ids_out_of_range():
    """A multiple choice posted an id beyond the column's range is a form error (called from apps.py).

    SQLite cannot bind an integer past 64 bits: checking ?genres=99999999999999999999 raised
    OverflowError, where an id that does not exist is "Select a valid choice".
    """
    check_values = ModelMultipleChoiceField._check_values
    if getattr(check_values, "in_range", False):
        return

    def in_range(self, value):
        try:
            return check_values(self, value)
        except OverflowError:
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice",
                                  params={"value": "that number"}) from None

    in_range.in_range = True
    ModelMultipleChoiceField._check_values = in_range


def keep_autocomplete_to_keys():
    """Autocomplete widgets label only posted values their key field accepts (called from apps.py).

    A form shown again with its errors looks up the posted values of its autocomplete fields by key;
    "abc" for an id raises ValueError inside that lookup (Django 5.2), a 500 where the form's own
    "Select a valid choice" should show. The field's validation is untouched: it still refuses the value.
    """
    optgroups = AutocompleteMixin.optgroups
    if getattr(optgroups, "keys_only", False):
        return

    def keys_only(self, name, value, attr=None):
        return optgroups(self, name, [each for each in value if is_key(self.field, each)], attr)

    keys_only.keys_only = True
    AutocompleteMixin.optgroups = keys_only


def is_key(relation, value):
    """Whether `value` can be a key of the model `relation` (a ForeignKey or ManyToManyField) points to."""
    model = relation.remote_field.model
    target = model._meta.get_field(getattr(relation.remote_field, "field_name", None) or model._meta.pk.name)
    try:
        target.clean(value, None)  # to_python and the column's range: "abc" and 10**30 are not ids
    except ValidationError:
        return False
    return True
