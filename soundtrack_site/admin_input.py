"""The admin against hand-made input: a NUL in an admin list's query string.

Browsers never send it; a hand-made request can, and the fuzz tests (tests/fuzz/) did. Hand-made ids in
the admin's forms are answered by the admin classes themselves (catalog/admin/base.py).
"""

from django.core.exceptions import BadRequest


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
