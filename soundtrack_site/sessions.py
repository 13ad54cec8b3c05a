"""Staff sessions that end: SESSION_IDLE_TIMEOUT seconds after the last admin request, SESSION_COOKIE_AGE after login.

Django's expiry alone cannot keep both: a stored session's expiry date moves forward whenever the session is
saved, and remembering the last request means saving it. So the middleware keeps both times in the session
and checks them itself; SESSION_EXPIRE_AT_BROWSER_CLOSE still ends the cookie with the browser.

Only the admin's requests are activity, and only they write: a public page writes nothing to the database,
for staff either (tests/test_get_writes_nothing.py). An ended session met on a public page is treated as
anonymous there (no preview, no rate-limit exemption); the next admin request empties it.
"""

import time

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

STARTED = "session_started"  # The login's time (Unix seconds).
SEEN = "session_seen"  # The last admin request's time, to within RESOLUTION.
# The last request's time is written at most once a minute: saving the session on every click would be a
# database write per admin request, and concurrent requests (autocomplete, previews) would overwrite each
# other's session more often. A session may so end up to a minute before the idle timeout.
RESOLUTION = 60


class SessionTimeoutMiddleware:
    """Ends a session that has been idle too long or has reached its absolute limit; stamps the others."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if has_session(request) and request.user.is_authenticated and expired(request.session):
            if in_admin(request):
                logout(request)  # Emptied for good; the admin answers with its login page.
            else:
                request.user = AnonymousUser()
        response = self.get_response(request)
        # After the view, so that the login's own response stamps the new session.
        if in_admin(request) and has_session(request) and request.user.is_authenticated:
            stamp(request.session)
        return response


def in_admin(request):
    """Whether the request is for the admin (its login and the data-quality report included)."""
    return request.path_info.startswith(reverse("admin:index"))


def has_session(request):
    """Whether there is a session to look at: its cookie came with the request, or the view began one (a login).

    Otherwise nothing here reads the session: an anonymous visitor's response sets no cookie and, as the session
    was not read, does not vary on Cookie either (public pages stay cacheable).
    """
    return settings.SESSION_COOKIE_NAME in request.COOKIES or request.session.modified


def expired(session):
    now = time.time()
    started, seen = session.get(STARTED), session.get(SEEN)
    return (started is not None and now - started >= settings.SESSION_COOKIE_AGE) or (
        seen is not None and now - seen >= settings.SESSION_IDLE_TIMEOUT
    )


def stamp(session):
    """Note the login's time once, and this request's when the last noted one is a RESOLUTION old."""
    now = int(time.time())
    session.setdefault(STARTED, now)  # A session from before this middleware counts from its first admin request.
    if now - session.get(SEEN, 0) >= RESOLUTION:
        session[SEEN] = now
