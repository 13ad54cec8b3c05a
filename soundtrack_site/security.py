"""Security headers Django's SecurityMiddleware does not set, hashes for the few inline styles CSP allows, and the
form-field limit outside the admin."""

import base64
import hashlib
import importlib.util
import re
from pathlib import Path

from django.conf import settings
from django.core.exceptions import TooManyFieldsSent
from django.http import UnreadablePostError
from django.urls import reverse

# Features no page uses: a script injected despite the CSP still cannot ask for them. Only names
# browsers know, so that the console stays free of "unrecognized feature" noise.
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer", "camera", "geolocation", "gyroscope", "magnetometer", "microphone", "payment", "usb",
    )
)

STYLE_ELEMENT = re.compile(r"<style[^>]*>(.*?)</style>", re.DOTALL)


def csp_hash(text):
    """The CSP source ('sha256-…') that allows exactly this inline text."""
    digest = base64.b64encode(hashlib.sha256(text.encode()).digest()).decode()
    return f"'sha256-{digest}'"


def style_element_hashes(*templates):
    """CSP sources for the <style> elements of these template files (which must hold no template tags)."""
    return [csp_hash(css) for template in templates for css in STYLE_ELEMENT.findall(template.read_text())]


def package_file(package, *parts):
    """A file inside an installed package, found without importing it (settings load before apps)."""
    return Path(importlib.util.find_spec(package).origin).parent.joinpath(*parts)


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
        if not (request.path_info.startswith(reverse("admin:index")) and request.user.is_staff):
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
