"""Baladiyati settings: one module, driven by environment variables.

SQLite (WAL mode) is the embedded default; set DATABASE_URL for PostgreSQL. Production is
DEBUG=0 with SECRET_KEY and ALLOWED_HOSTS set; `manage.py check --deploy` passes then.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def envbool(name: str, default: str) -> bool:
    return os.getenv(name, default).strip().lower() in ("1", "true", "yes", "on")


def envint(name: str, default: str) -> int:
    return int(os.getenv(name, default))


def envlist(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.getenv(name, default).split(",") if item.strip()]


DEBUG = envbool("DEBUG", "True")
_DEV_SECRET = "dev-only-secret-key-do-not-use-in-production-0123456789abcdefghijklmnop"
SECRET_KEY = os.getenv("SECRET_KEY", _DEV_SECRET)
if not DEBUG and SECRET_KEY == _DEV_SECRET:
    raise RuntimeError("Set SECRET_KEY in the environment when DEBUG is off.")

ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver,[::1]")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", "")
SITE_ROOT = os.getenv("SITE_ROOT", "http://127.0.0.1:8000")

INSTALLED_APPS = [
    # django.contrib.admin whose site asks for a TOTP code too (baladiyati/siteadmin/sites.py).
    "baladiyati.siteadmin.adminconfig.BaladiyatiAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_tasks",
    "django_tasks_db",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "baladiyati.core",
    "baladiyati.cities",
    "baladiyati.accounts",
    "baladiyati.notify",
    "baladiyati.cases",
    "baladiyati.permits",
    "baladiyati.open311",
    "baladiyati.permits_web",
    "baladiyati.portal",
    "baladiyati.backoffice",
    "baladiyati.siteadmin",
    "baladiyati.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Pages and API answers compressed for slow phone connections (the report page's HTML
    # goes from ~80 KB to ~10 KB). Below WhiteNoise, so static files keep their own
    # pre-compressed versions. Django's GZipMiddleware pads each response with random bytes
    # against BREACH-style guessing of the CSRF token.
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "baladiyati.core.middleware.ArabicFirstLocaleMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last: turns a lock-out flagged during the request into the lock-out page.
    "axes.middleware.AxesMiddleware",
]

# Machine interfaces (Open311: an API key each call, no session, CSRF token, sign-in or
# messages) answer through this part of MIDDLEWARE, in its order (handlers.py).
MACHINE_MIDDLEWARE = [
    name
    for name in MIDDLEWARE
    if name
    in (
        "django.middleware.security.SecurityMiddleware",
        "django.middleware.gzip.GZipMiddleware",
        "django.middleware.common.CommonMiddleware",
        "baladiyati.core.middleware.ArabicFirstLocaleMiddleware",
        "django.middleware.clickjacking.XFrameOptionsMiddleware",
    )
]

ROOT_URLCONF = "baladiyati.urls"
WSGI_APPLICATION = "baladiyati.wsgi.application"
AUTH_USER_MODEL = "accounts.User"
# Lock-out first (django-axes): a locked-out name and address authenticate nowhere.
AUTHENTICATION_BACKENDS = [
    "baladiyati.backoffice.lockout.LockoutBackend",
    "django.contrib.auth.backends.ModelBackend",
]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "baladiyati" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "baladiyati.portal.context.portal",
            ],
        },
    },
]

# Database: SQLite in WAL mode unless DATABASE_URL says otherwise.
SQLITE_PATH = os.getenv("SQLITE_PATH", str(BASE_DIR / "var" / "baladiyati.sqlite3"))
if os.getenv("DATABASE_URL"):
    DATABASES = {
        "default": dj_database_url.parse(
            os.environ["DATABASE_URL"], conn_max_age=envint("DB_CONN_MAX_AGE", "60")
        )
    }
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # Values sent apart from the statement (server-side binding: docs/benchmarks.md, 13% off
    # a submission). Statements are still not prepared (Django leaves psycopg's
    # prepare_threshold at None): prepared, PostgreSQL moves to a generic plan after five
    # runs, and for an Open311 bbox page that plan took 450 ms instead of 3.
    DATABASES["default"].setdefault("OPTIONS", {})["server_side_binding"] = True
    DATABASES["default"].setdefault("TEST", {})
else:
    DATABASES = {
        "default": {
            # Django's SQLite backend, writers queued by a lock file instead of SQLite's
            # busy sleeps (baladiyati/core/sqlite/base.py, docs/benchmarks.md).
            "ENGINE": "baladiyati.core.sqlite",
            "NAME": SQLITE_PATH,
            # Kept open between requests: opening one runs the PRAGMAs below, which cost more
            # than a typical Open311 read (see docs/benchmarks.md).
            "CONN_MAX_AGE": envint("DB_CONN_MAX_AGE", "60"),
            "OPTIONS": {
                # IMMEDIATE takes the write lock at BEGIN, so two writers queue on the busy
                # timeout instead of failing with "database is locked" on lock upgrade.
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": (
                    "PRAGMA journal_mode=WAL;"
                    "PRAGMA synchronous=NORMAL;"
                    "PRAGMA foreign_keys=ON;"
                    "PRAGMA cache_size=-65536;"
                    "PRAGMA mmap_size=268435456;"
                    "PRAGMA temp_store=MEMORY;"
                ),
            },
            # Tests run on an in-memory database, as with Django's own engine name (which
            # pytest-django recognises; for another engine name it would make the file path
            # into a per-worker database name).
            "TEST": {"NAME": ":memory:"},
        }
    }

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "baladiyati",
    }
}

TASKS = {
    "default": {
        "BACKEND": os.getenv("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Arabic first: Arabic is the default whatever the browser asks; English is the switch.
LANGUAGE_CODE = "ar"
LANGUAGES = [("ar", _("Arabic")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "baladiyati" / "locale"]
LANGUAGE_COOKIE_NAME = "baladiyati_language"
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
# Paths of machine interfaces, which pick their language per request (core/middleware.py)
# and are served by the production entry point with MACHINE_MIDDLEWARE (handlers.py).
MACHINE_INTERFACE_PREFIXES = ("/open311/",)
TIME_ZONE = "Asia/Muscat"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.getenv("STATIC_ROOT", str(BASE_DIR / "var" / "static")))
# WhiteNoise warns at start-up when the folder is missing; collectstatic fills it in production.
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.getenv("MEDIA_ROOT", str(BASE_DIR / "var" / "media")))
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

EMAIL_BACKEND = os.getenv("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.getenv("DEFAULT_FROM_EMAIL", "Baladiyati <noreply@baladiyati.example>")

# SMS gateway adapter (baladiyati.notify.sms): console | memory | webhook
SMS_BACKEND = os.getenv("SMS_BACKEND", "console")
SMS_WEBHOOK_URL = os.getenv("SMS_WEBHOOK_URL", "")
SMS_WEBHOOK_TOKEN = os.getenv("SMS_WEBHOOK_TOKEN", "")
SMS_SENDER = os.getenv("SMS_SENDER", "Baladiyati")

# Building permits (baladiyati.permits)
# Fees when a permit type has no rule of its own (OMR, three decimals): Muscat's amounts.
PERMIT_DEFAULT_FEES = {
    "application": "30.000",
    "service": "70.000",
    "resubmission": "5.000",
    "renewal": "20.000",
}
PERMIT_MAX_DOCUMENT_BYTES = envint("PERMIT_MAX_DOCUMENT_BYTES", str(25 * 1024 * 1024))
PERMIT_MAX_DOCUMENTS = envint("PERMIT_MAX_DOCUMENTS", "30")
# Dotted path of a callable(data: bytes, name: str) that raises ValidationError to refuse an
# upload (an antivirus bridge such as clamd); the default accepts everything.
PERMIT_VIRUS_SCANNER = os.getenv("PERMIT_VIRUS_SCANNER", "baladiyati.permits.documents.no_scan")
# Payment gateway adapter (baladiyati.permits.payments): "fake" signs with this HMAC key.
PERMIT_PAYMENT_GATEWAY = os.getenv("PERMIT_PAYMENT_GATEWAY", "fake")
PERMIT_PAYMENT_HMAC_KEY = os.getenv("PERMIT_PAYMENT_HMAC_KEY", SECRET_KEY + ":fake-gateway")
# Inspections one municipality's inspectors can do in one time slot of a day; per city
# (slug → places) where it differs.
PERMIT_INSPECTION_SLOT_CAPACITY = envint("PERMIT_INSPECTION_SLOT_CAPACITY", "4")
PERMIT_INSPECTION_SLOT_CAPACITY_BY_MUNICIPALITY: dict[str, int] = {}
# Printed in the certificate's QR code: /verify/<token> on this address (empty: SITE_ROOT).
PERMIT_PUBLIC_URL = os.getenv("PERMIT_PUBLIC_URL", "")

# Cases
CASE_MAX_PHOTOS = envint("CASE_MAX_PHOTOS", "5")
CASE_MAX_PHOTO_BYTES = envint("CASE_MAX_PHOTO_BYTES", str(10 * 1024 * 1024))
CASE_PHOTO_MAX_EDGE = envint("CASE_PHOTO_MAX_EDGE", "2560")
CASE_MAX_DESCRIPTION = 4000
CASE_REOPEN_DAYS = envint("CASE_REOPEN_DAYS", "14")
# Pillow refuses images above this many pixels (decompression bombs).
IMAGE_MAX_PIXELS = envint("IMAGE_MAX_PIXELS", str(40_000_000))
H3_RESOLUTION = 10

# Citizen app maps (Leaflet). Empty: no tile server, the map shows only the outlines of the
# municipalities and wilayats from our own GeoJSON (works offline and in tests). Otherwise a
# Leaflet URL template such as https://tile.example.om/{z}/{x}/{y}.png, with its attribution.
MAP_TILE_URL = os.getenv("MAP_TILE_URL", "")
MAP_TILE_ATTRIBUTION = os.getenv("MAP_TILE_ATTRIBUTION", "")

# Staff back office sign-in: password, then a TOTP code (django-otp). Five wrong passwords or
# codes for one name from one address lock that pair out for fifteen minutes (django-axes);
# keyed by name *and* address so that a stranger cannot lock a colleague out from elsewhere,
# and an office behind one address is not locked out by one person's typos.
OTP_TOTP_ISSUER = os.getenv("OTP_TOTP_ISSUER", "Baladiyati")
AXES_FAILURE_LIMIT = envint("AXES_FAILURE_LIMIT", "5")
AXES_COOLOFF_TIME = dt.timedelta(minutes=envint("AXES_COOLOFF_MINUTES", "15"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "baladiyati.backoffice.lockout.locked_out"
AXES_VERBOSE = False
# Failures are recorded; successful sign-ins (every citizen's one-time-code sign-in too) not.
AXES_DISABLE_ACCESS_LOG = True
# The client address: REMOTE_ADDR, or the last proxy's X-Forwarded-For entry when
# AXES_PROXY_COUNT proxies stand in front (a header set by the client cannot be trusted).
AXES_IPWARE_PROXY_COUNT = envint("AXES_PROXY_COUNT", "0")
AXES_IPWARE_META_PRECEDENCE_ORDER = (
    ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"] if AXES_IPWARE_PROXY_COUNT else ["REMOTE_ADDR"]
)

# Production hardening; `manage.py check --deploy` passes with DEBUG=0.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
if not DEBUG:
    SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", "True")
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", "31536000")
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", "True")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.getenv("LOG_LEVEL", "WARNING")},
}
