"""Security headers Django's SecurityMiddleware does not set, and hashes for the few inline styles CSP allows."""

import base64
import hashlib
import importlib.util
import re
from pathlib import Path

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
