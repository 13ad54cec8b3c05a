"""Login hardening glue for django-axes: whose address a failure counts against, and the lockout page."""

import ipaddress

from axes.helpers import get_cool_off
from django.conf import settings
from django.shortcuts import render


def client_ip(request):
    """The address failed logins are counted against.

    REMOTE_ADDR, unless DJANGO_TRUSTED_PROXIES says how many proxies of ours stand in front of the site:
    then the address the outermost of them saw, which is that many entries from the right of
    X-Forwarded-For. Entries further left were written by the client and prove nothing; trusting them
    would let anyone pick a fresh address for every guess.
    """
    proxies = settings.TRUSTED_PROXIES
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    if proxies and len(forwarded) >= proxies:
        try:
            return str(ipaddress.ip_address(forwarded[-proxies]))
        except ValueError:
            pass  # Not written by a proxy of ours: the setting does not match the deployment.
    return request.META.get("REMOTE_ADDR")


def lockout_response(request, original_response=None, credentials=None):
    """The page a locked-out login gets: 429 Too Many Requests, saying for how long."""
    cool_off = get_cool_off(request)
    minutes = round(cool_off.total_seconds() / 60)
    response = render(
        request, "registration/locked_out.html",
        {"minutes": minutes, "failure_limit": settings.AXES_FAILURE_LIMIT},
        status=429,
    )
    response["Retry-After"] = str(int(cool_off.total_seconds()))
    return response
