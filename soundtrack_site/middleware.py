"""The project's middleware, in the order settings.MIDDLEWARE runs it (the staff-session rules: sessions.py).

- ForwardedAddressMiddleware: behind proxies of ours, REMOTE_ADDR becomes the visitor's address, so that
  whatever counts visitors (failed logins, rate limits, the article view count) reads REMOTE_ADDR alone.
- SecurityHeadersMiddleware: the headers Django's SecurityMiddleware does not set.
- FieldLimitMiddleware: Django's default form-field limit for every request but staff's in the admin.
- RateLimitMiddleware: anonymous searches and filtered lists, per address and minute, for the views
  settings.RATE_LIMITED_VIEWS names; `hit()` is its counter, which any code may use.
"""

import contextlib
import ipaddress
import math
import time

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import TooManyFieldsSent
from django.http import HttpResponse, UnreadablePostError
from django.template.loader import render_to_string
from django.utils.cache import patch_cache_control

from .sessions import has_session, in_admin


class ForwardedAddressMiddleware:
    """REMOTE_ADDR as the outermost proxy of ours saw it, when DJANGO_TRUSTED_PROXIES says how many stand in front.

    Each proxy appends the address it saw to X-Forwarded-For, so the visitor's is that many entries from
    the right. Entries further left were written by the client and prove nothing; trusting them would let
    anyone pick a fresh address for every guess. An entry that is no address (the setting does not match
    the deployment) leaves REMOTE_ADDR as it is. First in MIDDLEWARE, so that nothing reads it before.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        proxies = settings.TRUSTED_PROXIES
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        if proxies and len(forwarded) >= proxies:
            with contextlib.suppress(ValueError):  # Not written by a proxy of ours.
                request.META["REMOTE_ADDR"] = str(ipaddress.ip_address(forwarded[-proxies]))
        return self.get_response(request)


# Features no page uses: a script injected despite the CSP still cannot ask for them. Only names
# browsers know, so that the console stays free of "unrecognized feature" noise.
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer", "camera", "geolocation", "gyroscope", "magnetometer", "microphone", "payment", "usb",
    )
)


class SecurityHeadersMiddleware:
    """Permissions-Policy and Cross-Origin-Resource-Policy on every response, static files included.

    CORP same-origin: other sites may link to pages but not embed our images or scripts in theirs.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        response.headers.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        return response


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


WINDOW = 60  # Seconds: the limits in settings are per minute.


class RateLimitMiddleware:
    """Anonymous GET and HEAD requests with a query string to a view in RATE_LIMITED_VIEWS count against its
    scope's limit (RATE_LIMITS) per address and minute; beyond it, 429.

    The views are named by URL name in settings, so that no app needs to know of this project's limits.
    Staff are never limited. Only a request carrying a session cookie is asked who it is, so an anonymous
    visitor's session is not read (sessions.py). The address is REMOTE_ADDR (ForwardedAddressMiddleware).
    Other methods are not counted: these views answer them 405 anyway.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        scope = settings.RATE_LIMITED_VIEWS.get(request.resolver_match.view_name)
        if scope is None or request.method not in ("GET", "HEAD") or not request.GET:
            return None
        if has_session(request) and request.user.is_staff:
            return None
        retry_after = hit(f"{scope}:{request.META.get('REMOTE_ADDR')}", settings.RATE_LIMITS[scope])
        return None if retry_after is None else too_many_requests(retry_after)


def hit(key, limit, window=WINDOW):
    """Count one request against `key`: None while at most `limit` fell in this window, else the seconds until it ends.

    Fixed windows (a burst at the end of one and the start of the next may pass twice the limit), counted with
    the cache's atomic add and incr: shared by every worker with Redis (REDIS_URL), per process with local
    memory. A limit of 0 or None counts nothing.
    """
    if not limit:
        return None
    now = time.time()
    start = int(now // window) * window
    counter = f"ratelimit:{key}:{start}"
    # The counter outlives its window by a little: the next window has a key of its own anyway.
    if cache.add(counter, 1, timeout=window + 5):
        count = 1
    else:
        try:
            count = cache.incr(counter)
        except ValueError:  # Evicted or expired between add() and incr(): this request starts it again.
            cache.set(counter, 1, timeout=window + 5)
            count = 1
    if count <= limit:
        return None
    return max(1, math.ceil(start + window - now))


def too_many_requests(retry_after):
    """429 with Retry-After; the page is rendered without the request or the database, like the 500 page."""
    response = HttpResponse(render_to_string("429.html", {"retry_after": retry_after}), status=429)
    response["Retry-After"] = str(retry_after)
    patch_cache_control(response, no_store=True)  # One address's refusal is nobody else's page.
    return response
