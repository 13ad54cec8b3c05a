"""Per-address request limits for anonymous visitors, counted in Django's cache: no service of their own.

`hit()` counts one request in a fixed window; `rate_limited()` applies a limit from settings.RATE_LIMITS to a
view's anonymous requests that carry a query string (searches, filtered or paged lists) and answers 429.
"""

import math
import time
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.cache import patch_cache_control

from .login import client_ip
from .sessions import has_session

WINDOW = 60  # Seconds: the limits in settings are per minute.


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


def rate_limited(scope):
    """View decorator: anonymous requests with a query string count against RATE_LIMITS[scope] per address and minute.

    Staff are never limited. Only a request carrying a session cookie is asked who it is, so an anonymous
    visitor's session is not read (soundtrack_site/sessions.py). The address is the one failed logins count
    against (login.client_ip: REMOTE_ADDR, or X-Forwarded-For as far as DJANGO_TRUSTED_PROXIES allows).
    """

    def decorator(view):
        @wraps(view)
        def limited(request, *args, **kwargs):
            if request.GET and not (has_session(request) and request.user.is_staff):
                retry_after = hit(f"{scope}:{client_ip(request)}", settings.RATE_LIMITS[scope])
                if retry_after is not None:
                    return too_many_requests(retry_after)
            return view(request, *args, **kwargs)

        return limited

    return decorator


def too_many_requests(retry_after):
    """429 with Retry-After; the page is rendered without the request or the database, like the 500 page."""
    response = HttpResponse(render_to_string("429.html", {"retry_after": retry_after}), status=429)
    response["Retry-After"] = str(retry_after)
    patch_cache_control(response, no_store=True)  # One address's refusal is nobody else's page.
    return response
