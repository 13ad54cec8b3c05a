"""The security header contract of the production configuration, as a browser receives it over HTTPS.

The test settings are production's (debug off) except SECURE_SSL_REDIRECT, which conftest turns off for
plain-HTTP test requests; the redirect test turns it back on, the others ask with secure=True.
"""

import re

import pytest
from django.conf import settings
from django.test import override_settings
from django.urls import path, reverse

from soundtrack_site import urls as root_urls
from soundtrack_site.settings import csp_hash
from tests.pages import page

pytestmark = pytest.mark.django_db

PAGES = {
    "home": "/",
    "album": "/albums/lost-in-translation/",
    "not-found": "/albums/no-such-album/",
    "admin-login": "/admin/login/",
    "feed": "/reviews/feed/",
}
STATUS = {"not-found": 404}
# Pages whose only inline script is JSON-LD, which must carry the response's nonce.
WITH_JSON_LD = {"home", "album"}
HASH = re.compile(r"^'sha256-[A-Za-z0-9+/]+={0,2}'$")
NONCE = re.compile(r"^'nonce-([A-Za-z0-9+/]+={0,2})'$")
PASSWORD = "a passphrase for the header tests"


def csp_of(response):
    """The Content-Security-Policy header as {directive: [sources]}; a directive given twice fails."""
    policy = {}
    for part in response["Content-Security-Policy"].split(";"):
        name, *sources = part.split()
        assert name not in policy, f"{name} given twice"
        policy[name] = sources
    return policy


def nonce_of(policy):
    nonces = [match[1] for source in policy["script-src"] if (match := NONCE.match(source))]
    assert len(nonces) <= 1
    return nonces[0] if nonces else None


def inline_scripts(response):
    return [script for script in page(response).find_all("script") if "src" not in script.attrs]


@pytest.fixture
def https(client, reception):
    def get(name):
        response = client.get(PAGES[name], secure=True)
        assert response.status_code == STATUS.get(name, 200), name
        return response

    return get


@pytest.mark.parametrize("name", list(PAGES))
def test_http_redirects_permanently_to_https(client, reception, name):
    with override_settings(SECURE_SSL_REDIRECT=True):
        response = client.get(PAGES[name])
    assert response.status_code == 301
    assert response["Location"] == f"https://testserver{PAGES[name]}"


@pytest.mark.parametrize("name", list(PAGES))
def test_https_responses_carry_the_security_headers(https, name):
    response = https(name)
    hsts = dict(
        (directive.strip().split("=") + [""])[:2] for directive in response["Strict-Transport-Security"].split(";")
    )
    assert int(hsts["max-age"]) >= 365 * 24 * 60 * 60
    assert "includeSubDomains" in hsts
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["Cross-Origin-Resource-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    permissions = dict(feature.strip().split("=") for feature in response["Permissions-Policy"].split(","))
    assert permissions["camera"] == permissions["microphone"] == permissions["geolocation"] == "()"


@pytest.mark.parametrize("name", list(PAGES))
def test_content_security_policy_is_strict(https, name):
    response = https(name)
    assert "Content-Security-Policy-Report-Only" not in response  # enforced, not merely reported
    policy = csp_of(response)
    assert policy["default-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["form-action"] == ["'self'"]
    assert policy["img-src"] == ["'self'"]
    # Scripts: our origin, plus this response's nonce when the page has inline JSON-LD; nothing else.
    assert policy["script-src"][0] == "'self'"
    assert all(NONCE.match(source) for source in policy["script-src"][1:])
    # Styles: our origin and named inline styles (by hash), never any inline style at all.
    assert policy["style-src"][0] == "'self'"
    assert all(HASH.match(source) for source in policy["style-src"][1:])
    assert policy["style-src-attr"][0] == "'unsafe-hashes'"
    assert all(HASH.match(source) for source in policy["style-src-attr"][1:])
    sources = {source for sources in policy.values() for source in sources}
    assert not sources & {"'unsafe-inline'", "'unsafe-eval'", "*", "data:", "http:", "https:"}


@pytest.mark.parametrize("name", [name for name in PAGES if name != "feed"])  # XML runs no script
def test_every_inline_script_carries_the_nonce_of_its_response(https, name):
    response = https(name)
    nonce = nonce_of(csp_of(response))
    scripts = inline_scripts(response)
    if name in WITH_JSON_LD:
        assert nonce and [script.attrs["type"] for script in scripts] == ["application/ld+json"]
    assert all(script.attrs.get("nonce") == nonce for script in scripts)
    files = [script.attrs["src"] for script in page(response).find_all("script") if "src" in script.attrs]
    assert all(re.match(r"^/[^/]", src) for src in files), "every script file comes from our origin"


@pytest.mark.parametrize("name", sorted(WITH_JSON_LD))
def test_each_response_has_a_fresh_nonce(https, name):
    nonces = {nonce_of(csp_of(https(name))) for _ in range(3)}
    assert len(nonces) == 3 and None not in nonces
    assert all(len(nonce) >= 22 for nonce in nonces)  # 16 random bytes, base64


def crash(request):
    raise RuntimeError("a deliberate crash, to see the 500 page")


urlpatterns = [path("crash/", crash), *root_urls.urlpatterns]


@override_settings(ROOT_URLCONF=__name__)
def test_server_error_page_carries_the_policy(client):
    """A crash still answers with every header, and the 500 page's own styles are allowed by their hash."""
    client.raise_request_exception = False
    response = client.get("/crash/", secure=True)
    assert response.status_code == 500
    assert "The record skipped" in response.content.decode()
    policy = csp_of(response)
    assert policy["default-src"] == ["'self'"] and "'unsafe-inline'" not in policy["style-src"]
    (style,) = page(response).find_all("style")
    assert csp_hash("".join(style.children)) in policy["style-src"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["Strict-Transport-Security"]


def test_session_and_csrf_cookies_are_secure(client, django_user_model):
    django_user_model.objects.create_superuser("cookie-editor", "cookies@example.com", PASSWORD)
    login = reverse("admin:login")
    form = client.get(login, secure=True)
    csrf = form.cookies[settings.CSRF_COOKIE_NAME]
    assert csrf["secure"] is True
    assert csrf["samesite"] == "Lax"

    response = client.post(
        login,
        {"username": "cookie-editor", "password": PASSWORD, "csrfmiddlewaretoken": csrf.value, "next": "/admin/"},
        secure=True,
    )
    assert response.status_code == 302 and response["Location"] == "/admin/"
    session = response.cookies[settings.SESSION_COOKIE_NAME]
    assert session["secure"] is True
    assert session["httponly"] is True
    assert session["samesite"] == "Lax"
