"""Probes for the process manager, and what visitors get while the database cannot be reached.

/healthz (liveness) touches nothing, so it fails only when the process cannot answer at all: restart it.
/readyz (readiness) asks the database for `SELECT 1`: on 503, send traffic elsewhere and wait.
"""

import logging
import sys

from django.db import InterfaceError, OperationalError, connection
from django.http import HttpResponse
from django.template import loader
from django.utils.cache import add_never_cache_headers
from django.views.decorators.cache import never_cache
from django.views.defaults import server_error as django_server_error

logger = logging.getLogger(__name__)

# What Django raises when it cannot connect, or loses the connection, on either database.
UNAVAILABLE = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 30


def unavailable(content, content_type="text/html; charset=utf-8"):
    response = HttpResponse(content, content_type=content_type, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    add_never_cache_headers(response)
    return response


@never_cache
def healthz(request):
    return HttpResponse("ok\n", content_type="text/plain")


@never_cache
def readyz(request):
    # No statement timeout of its own: SELECT 1 does no work, and the wait that matters, connecting, is
    # bounded by the connect timeout (settings.py) or, on SQLite, by opening a file.
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except UNAVAILABLE:
        logger.exception("Not ready: the database cannot be reached")
        return unavailable("database unavailable\n", content_type="text/plain")
    return HttpResponse("ok\n", content_type="text/plain")


def server_error(request):
    """handler500: a 503 when the database cannot be reached, otherwise Django's 500 page.

    A handler500 rather than a middleware: the database is first touched in many places (a view, a
    template's lazy `user`, the session behind the auth middleware, a middleware of a library), and
    Django turns every one of those exceptions, wherever it is raised, into a call to this handler
    (the exception is still being handled, so sys.exception() has it). Django logs it with the 503.
    The page is a file rendered without context or request: no session, no user, no query.
    """
    if isinstance(sys.exception(), UNAVAILABLE):
        return unavailable(loader.render_to_string("503.html"))
    return django_server_error(request)
