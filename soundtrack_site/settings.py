"""Settings for Soundtrack Site, read from environment variables.

Every variable is documented in README.md. Development needs none of them except
DJANGO_DEBUG=1 (which `make run` sets); production fails fast without a secret key.
"""

import base64
import datetime
import hashlib
import importlib.util
import os
import re
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF, UNSAFE_HASHES
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

TRUE_WORDS = {"1", "true", "yes", "on"}


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return value.strip().lower() in TRUE_WORDS


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG")

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off "
            "(for development, run with DJANGO_DEBUG=1)."
        )
    SECRET_KEY = "django-insecure-development-key-only-used-when-debug-is-on"

ALLOWED_HOSTS = env_list(
    "DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else ""
)
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "soundtrack_site.apps.AdminConfig",  # Django's admin, on a site that asks staff for a second factor.
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "django.contrib.postgres",  # Site search's full-text and trigram lookups; unused on SQLite.
    "django_filters",
    "django_countries",
    "sorl.thumbnail",
    "reversion",  # Revision history of albums, reviews, lists and articles.
    "reversion_compare",  # Diffs between two revisions in the admin.
    "import_export",  # CSV/XLSX/JSON import and export in the admin.
    "axes",  # Locks out a username or address after repeated failed logins (see Login hardening below).
    "csp",  # Content-Security-Policy header (django-csp); listed for its system checks.
    "django_otp",  # Second factor for staff (see Second factor below).
    "django_otp.plugins.otp_totp",  # Authenticator apps (time-based codes).
    "django_otp.plugins.otp_static",  # Backup codes, each good once.
    "catalog",
    "reviews",
    "soundtrack_site",  # Project-wide glue: the editorial roles synced after migrate (apps.py).
]

MIDDLEWARE = [
    # First: the visitor's address in REMOTE_ADDR behind proxies of ours (DJANGO_TRUSTED_PROXIES), for all that follows.
    "soundtrack_site.middleware.ForwardedAddressMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "soundtrack_site.middleware.SecurityHeadersMiddleware",
    # Before everything that renders or answers early, so every response carries the policy.
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",  # request.user.is_verified(): did this session give a second factor?
    "soundtrack_site.sessions.SessionTimeoutMiddleware",  # Idle and absolute limits of a staff session.
    "soundtrack_site.middleware.FieldLimitMiddleware",  # Django's 1000 form fields, except for staff in the admin.
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "soundtrack_site.admin_input.AdminQueryGuardMiddleware",  # NUL in an admin list's query: 400, not 500.
    "soundtrack_site.middleware.RateLimitMiddleware",  # Searches and filtered lists: RATE_LIMITED_VIEWS below.
    "axes.middleware.AxesMiddleware",  # Last: turns a login refused for a lockout into the lockout page.
]

ROOT_URLCONF = "soundtrack_site.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
            # {% url %} that leaves out (and logs) a link to a row whose slug no URL can hold: catalog/models/links.py.
            "builtins": ["catalog.templatetags.links"],
        },
    },
]

WSGI_APPLICATION = "soundtrack_site.wsgi.application"


# Database: SQLite by default, anything dj-database-url understands when set.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DJANGO_CONN_MAX_AGE", "600")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Django's backend, reading a decimal beyond its digits as empty instead of failing: soundtrack_site/sqlite/.
    DATABASES["default"]["ENGINE"] = "soundtrack_site.sqlite"
    # Concurrent readers and writers: WAL lets reads go on during a write, IMMEDIATE
    # takes the write lock at BEGIN (no deadlock on lock upgrade) and the timeout
    # makes a second writer wait instead of failing with "database is locked".
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": (
            "PRAGMA journal_mode=WAL;"
            "PRAGMA synchronous=NORMAL;"
            "PRAGMA foreign_keys=ON;"
        ),
    }
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # An unreachable server must turn into a quick 503 (soundtrack_site/health.py), not a request hanging
    # for minutes on TCP: 2 seconds is libpq's shortest connect timeout. `?connect_timeout=` in the URL wins.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("connect_timeout", 2)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache: Redis when REDIS_URL is set, per-process memory otherwise.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Login hardening (README: Logging in). django-axes checks each login before the password does:
# 6 failures for a username from one address lock that username out from that address, and 20 from one
# address for any usernames lock the address out, for the cool-off counted from the last failure; a
# success resets the count. Never the username everywhere: failures from elsewhere cannot lock an editor
# out of their own address. Attempts during a lockout are refused without extending it. The address is
# REMOTE_ADDR, which is the one the outermost proxy saw when DJANGO_TRUSTED_PROXIES says how many proxies in
# front of the site append to X-Forwarded-For (soundtrack_site/middleware.py); login.py gives it its own limit.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_HANDLER = "soundtrack_site.login.LoginAttempts"
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]  # This order: LoginAttempts reads it.
AXES_FAILURE_LIMIT = 6  # For a username from one address.
LOGIN_ADDRESS_FAILURE_LIMIT = 20  # From one address, whatever the usernames: guesses spread over many.
AXES_COOLOFF_TIME = datetime.timedelta(minutes=int(os.environ.get("DJANGO_LOGIN_COOLOFF_MINUTES", "15")))
AXES_RESET_ON_SUCCESS = True
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_CLIENT_IP_CALLABLE = "soundtrack_site.login.client_ip"
AXES_LOCKOUT_CALLABLE = "soundtrack_site.login.lockout_response"
AXES_VERBOSE = False  # No banner on every manage.py command; failures are still logged.
TRUSTED_PROXIES = int(os.environ.get("DJANGO_TRUSTED_PROXIES", "0"))
# Staff sessions end when the browser closes, after DJANGO_SESSION_IDLE_MINUTES without an admin request, and
# at the latest DJANGO_SESSION_HOURS after login (the last two checked by soundtrack_site/sessions.py).
SESSION_COOKIE_AGE = int(float(os.environ.get("DJANGO_SESSION_HOURS", "8")) * 60 * 60)
SESSION_IDLE_TIMEOUT = int(float(os.environ.get("DJANGO_SESSION_IDLE_MINUTES", "60")) * 60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# Second factor (README: Second factor; soundtrack_site/two_factor.py). Superusers and Editors must log in
# with a code from an authenticator app (django-otp's TOTP) or a backup code; Contributors too when
# DJANGO_OTP_REQUIRED_FOR_CONTRIBUTORS is on. Anyone who has set one up must give it.
OTP_REQUIRED_FOR_CONTRIBUTORS = env_bool("DJANGO_OTP_REQUIRED_FOR_CONTRIBUTORS")
OTP_TOTP_ISSUER = "Soundtrack Site"  # The name an authenticator app shows beside the code.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True  # Site admins see that a device exists, never its key or codes.
# axes keeps the POST of a failed login: its defaults masked, and the code too.
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address", "otp_token"]

# Revision history (catalog/revisions.py) stores versions as JSON that keeps times to the microsecond.
SERIALIZATION_MODULES = {"revision_json": "catalog.serializers"}

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# Static files: vendored in static/, collected to STATIC_ROOT and served by WhiteNoise.
STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", BASE_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Uploads: a cover is small; refuse anything large before it reaches Pillow.
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# Form fields in one request. Django's parsers read one limit for every request; the admin's album pages,
# with many tracks and credits, post more than Django's default (1000), so the parsers allow the admin's
# ceiling and every request but staff's in the admin is refused (400) above the default
# (soundtrack_site/middleware.py).
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10000
PUBLIC_MAX_NUMBER_FIELDS = 1000

# Anonymous searches, and list pages filtered or paged by a query string, per address and minute
# (soundtrack_site/middleware.py): beyond the limit a 429 with Retry-After. 0 turns a limit off; staff have none.
# Counted in the cache: set REDIS_URL for one count across gunicorn's workers, not one per worker.
RATE_LIMITS = {
    "search": int(os.environ.get("DJANGO_SEARCH_RATE_LIMIT", "30")),
    "filter": int(os.environ.get("DJANGO_FILTER_RATE_LIMIT", "60")),
}
# The views limited, by URL name, and the limit each counts against: the three filtered lists share one.
RATE_LIMITED_VIEWS = {
    "search": "search",
    "catalog:album-list": "filter",
    "catalog:track-list": "filter",
    "reviews:review-list": "filter",
}

# Import and export in the admin (django-import-export; catalog/importing.py, README: Import, export and
# data quality). Formats (CSV, XLSX, JSON) are set on the admin mixin, whose JSON reader reads objects by key.
IMPORT_EXPORT_USE_TRANSACTIONS = True  # Dry runs roll back; a confirmed import is one transaction.
IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT = True  # Cells starting = + - @ get an apostrophe in CSV and XLSX.
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "add"  # And the change permission (the mixin): a file may do both.
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "view"
IMPORT_EXPORT_IMPORT_IGNORE_BLANK_LINES = True  # Empty rows at the end of a spreadsheet are no rows.

# HTTPS: on unless debug; DJANGO_SECURE_SSL_REDIRECT=0 for a proxy that already redirects.
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    # Health probes come to the app directly over plain HTTP, not through the proxy that terminates TLS.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", 60 * 60 * 24 * 365))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    # Browsers keep a __Host- cookie only if it is Secure, for path / and without a Domain: neither a
    # subdomain nor a plain-HTTP page can set or overwrite it. Not with debug, whose cookies are not Secure.
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy (django-csp), enforced on every response, debug or not. Scripts only from our
# origin; the one inline kind, JSON-LD, carries the request's nonce (added to the header only when a page
# uses it). No 'unsafe-inline' anywhere. Inline styles are allowed one by one by hash: the standalone 500
# page's own <style> (it must not depend on the stylesheet), and third-party admin templates' <style>
# elements and style attributes ('unsafe-hashes' lets a hash match an attribute and allows nothing else):
# Django's changelist without actions, reversion-compare's raw diff and history radio buttons,
# import-export's export form. A page with a new inline style must add its template or value here.
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


CSP_STYLE_ELEMENTS = style_element_hashes(
    BASE_DIR / "templates" / "500.html",
    package_file("django.contrib.admin", "templates", "admin", "change_list.html"),
    package_file("reversion_compare", "templates", "reversion-compare", "compare_raw.html"),
)
CSP_STYLE_ATTRIBUTES = [csp_hash(style) for style in ("visibility:hidden", "padding: 0;", "font-weight: bold;")]
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, *CSP_STYLE_ELEMENTS],
        "style-src-attr": [UNSAFE_HASHES, *CSP_STYLE_ATTRIBUTES],
        "img-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    }
}

# Thumbnails (sorl-thumbnail): made on a page's first render and saved under MEDIA_ROOT/thumbnails/;
# their names and sizes are kept in the cached_db key-value store (the thumbnail_kvstore table behind
# the default cache), so later renders cost no query, no image work and no storage call.
THUMBNAIL_KVSTORE = "sorl.thumbnail.kvstores.cached_db_kvstore.KVStore"
THUMBNAIL_CACHE = "default"
# sorl's Pillow engine with the upload pixel cap (catalog/images.py): a huge file put in storage by hand
# is refused before it is decoded.
THUMBNAIL_ENGINE = "catalog.images.ThumbnailEngine"
THUMBNAIL_PREFIX = "thumbnails/"
# WebP: a quarter to a third smaller than JPEG at the same quality, it keeps a transparent PNG
# transparent, and every current browser shows it. Never upscaled: a small source gives fewer candidates.
THUMBNAIL_FORMAT = "WEBP"
THUMBNAIL_PRESERVE_FORMAT = False
THUMBNAIL_QUALITY = 80
THUMBNAIL_UPSCALE = False
# A missing or unreadable source must not break a page: errors are logged, not raised, and the
# templates draw their stand-in. The dummy only marks a missing source for the templates; should its URL
# ever be shown, it is a static file of ours (CSP's img-src 'self' blocks data: images; no outside service).
THUMBNAIL_DEBUG = False
THUMBNAIL_DUMMY = True
THUMBNAIL_DUMMY_RATIO = 1
THUMBNAIL_DUMMY_SOURCE = f"/{STATIC_URL}img/placeholder.svg"

SITE_NAME = "Soundtrack Site"
ALBUMS_PER_PAGE = 24

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        "axes": {"level": "WARNING"},  # Failed logins and lockouts; not every successful login.
    },
}
