"""Login hardening glue for django-axes: whose address a failure counts against, its limits, the lockout page."""

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_cool_off
from django.conf import settings
from django.db.models import Sum
from django.shortcuts import render


def client_ip(request):
    """The address failed logins are counted against: REMOTE_ADDR, the visitor's behind proxies of ours (middleware.py).

    Named in AXES_CLIENT_IP_CALLABLE so that axes reads it and nothing else: with django-ipware installed,
    axes would read X-Forwarded-For its own way.
    """
    return request.META.get("REMOTE_ADDR")


def lockout_response(request, original_response=None, credentials=None):
    """The page a locked-out login gets: 429 Too Many Requests, saying for how long."""
    cool_off = get_cool_off(request)
    minutes = round(cool_off.total_seconds() / 60)
    response = render(
        request, "registration/locked_out.html",
        {"minutes": minutes, "failure_limit": settings.AXES_FAILURE_LIMIT,
         "address_limit": settings.LOGIN_ADDRESS_FAILURE_LIMIT},
        status=429,
    )
    response["Retry-After"] = str(int(cool_off.total_seconds()))
    return response


class LoginAttempts(AxesDatabaseHandler):
    """Axes' database handler, with a limit of its own for an address's failures whatever the username.

    AXES_LOCKOUT_PARAMETERS counts failures twice: for a username from one address, and from one address for
    any username. Axes compares the larger count with the one AXES_FAILURE_LIMIT, which would make the first
    count pointless (an address's count is never below one of its usernames'). Here the address's count has
    LOGIN_ADDRESS_FAILURE_LIMIT instead; reaching it counts as reaching AXES_FAILURE_LIMIT. A custom handler
    is how axes' maintainers suggest giving parameters limits of their own (jazzband/django-axes#661).
    """

    def get_failures(self, request, credentials=None):
        # One queryset per entry of AXES_LOCKOUT_PARAMETERS, in its order: the pair, then the address.
        pair, address = (
            attempts.aggregate(failures=Sum("failures_since_start"))["failures"] or 0
            for attempts in self.get_user_attempts(request, credentials)
        )
        if address >= settings.LOGIN_ADDRESS_FAILURE_LIMIT:
            return max(pair, settings.AXES_FAILURE_LIMIT)
        return pair
