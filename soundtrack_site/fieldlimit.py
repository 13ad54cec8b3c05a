"""Django's default form-field limit for every request but staff's in the admin."""

from django.conf import settings
from django.core.exceptions import TooManyFieldsSent
from django.http import UnreadablePostError

from .sessions import in_admin


class FieldLimitMiddleware:
    """More than PUBLIC_MAX_NUMBER_FIELDS query or form fields: Django's 400, except for staff in the admin.

    Django reads DATA_UPLOAD_MAX_NUMBER_FIELDS whenever it parses a query string or a form, for every request
    alike, and has no per-view setting; the admin's album forms need more than the default, so that setting is
    the admin's ceiling and this middleware holds everyone else to the default. It runs before CSRF and every
    view see the data; a public request may so still make Django parse up to the admin's ceiling (bounded by
    DATA_UPLOAD_MAX_MEMORY_SIZE) before being refused. A multipart body is read here, so a public view behind
    this cannot read request.body of one (it has request.POST and request.FILES).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # The path first: outside the admin a visitor's session is not read (soundtrack_site/sessions.py).
        if not (in_admin(request) and request.user.is_staff):
            limit = settings.PUBLIC_MAX_NUMBER_FIELDS
            try:
                too_many = field_count(request.GET) > limit or field_count(request.POST) > limit
            except UnreadablePostError:
                too_many = False  # The client went away mid-body: CSRF and the view handle that as they do.
            if too_many:
                raise TooManyFieldsSent(f"More than {limit} fields outside the admin.")
        return self.get_response(request)


def field_count(data):
    """The number of values in a QueryDict, repeated names counted each time, as Django's own limit counts them."""
    return sum(len(values) for _name, values in data.lists())
