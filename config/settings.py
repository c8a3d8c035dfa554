"""The one settings module. Everything that differs per deployment comes from the environment."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from config.env import (
    database_from_url,
    env_bool,
    env_int,
    env_json,
    env_json_list,
    env_list,
    env_str,
    mailers_from_url,
)

BASE_DIR = Path(__file__).resolve().parent.parent
# The shared project folder (design, domain CSVs) sits beside the repository.
SHARED_DIR = Path(env_str("MAAKSTAD_SHARED_DIR", str(BASE_DIR.parent / "shared")))

DEBUG = env_bool("DEBUG", False)
SECRET_KEY = env_str("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG and env_bool("MAAKSTAD_REQUIRE_SECRET_KEY", False):
        raise RuntimeError("SECRET_KEY must be set in production")
    SECRET_KEY = "maakstad-insecure-development-key-change-me-0123456789abcdef"
# Older keys, still accepted for signatures and to read encrypted secrets (docs/deploy.md).
SECRET_KEY_FALLBACKS = env_list("SECRET_KEY_FALLBACKS")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "django_tasks_db",
    "ninja",  # serves its Swagger UI from our static files, not from a CDN
    # Maakstad, in the order data flows (DESIGN.md §2).
    "maakstad.core",
    "maakstad.accounts",
    "maakstad.organisations",
    "maakstad.catalogue",
    "maakstad.bookings",
    "maakstad.internships",
    "maakstad.electives",
    "maakstad.attendance",
    "maakstad.knowledge",
    "maakstad.monitoring",
    "maakstad.api",
    "maakstad.sso",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "maakstad.core.middleware.RequestIdMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "maakstad.core.middleware.LanguageCookieMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "maakstad.accounts.middleware.RequireTwoFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "maakstad" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "maakstad.core.context_processors.maakstad",
            ],
        },
    },
]

DATABASES = {
    "default": database_from_url(env_str("DATABASE_URL"), sqlite_default=BASE_DIR / "db.sqlite3")
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24 * 3

REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cache"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Background work through django.tasks: immediate by default (tests, demo); in production a real
# queue with a worker: MAAKSTAD_TASKS=redis (django-tasks-redis on REDIS_URL, worker
# `manage.py run_redis_tasks --continuous`) or MAAKSTAD_TASKS=database (django-tasks-db, worker
# `manage.py db_worker`).
TASKS_KIND = env_str("MAAKSTAD_TASKS", "immediate")
TASK_BACKENDS: dict[str, dict[str, Any]] = {
    "immediate": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"},
    "dummy": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"},
    "database": {"BACKEND": "django_tasks_db.DatabaseBackend"},
    "redis": {
        "BACKEND": "django_tasks_redis.RedisTaskBackend",
        "OPTIONS": {
            "REDIS_URL": REDIS_URL or "redis://127.0.0.1:6379/0",
            "REDIS_KEY_PREFIX": env_str("MAAKSTAD_TASKS_PREFIX", "maakstad_tasks"),
        },
    },
}
if TASKS_KIND not in TASK_BACKENDS:
    raise ImproperlyConfigured(
        f"MAAKSTAD_TASKS={TASKS_KIND!r}: choose one of {', '.join(TASK_BACKENDS)}"
    )
TASKS = {"default": TASK_BACKENDS[TASKS_KIND]}
if TASKS_KIND == "redis":
    INSTALLED_APPS.append("django_tasks_redis")

LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Nederlands")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))
# Uploads on disk under MEDIA_ROOT by default; object storage in production by naming a storage
# backend and its options, e.g. MAAKSTAD_MEDIA_STORAGE=storages.backends.s3.S3Storage with
# MAAKSTAD_MEDIA_STORAGE_OPTIONS='{"bucket_name": "maakstad", "endpoint_url": "https://..."}'
# (pip install django-storages[s3]; see docs/deploy.md).
STORAGES = {
    "default": {
        "BACKEND": env_str("MAAKSTAD_MEDIA_STORAGE", "django.core.files.storage.FileSystemStorage"),
        "OPTIONS": env_json("MAAKSTAD_MEDIA_STORAGE_OPTIONS", {}),
    },
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

MAILERS = mailers_from_url(env_str("EMAIL_URL"))
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Maakstad <noreply@maakstad.nl>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Who gets the error e-mails of production (comma-separated addresses).
ADMINS = env_list("MAAKSTAD_ADMINS")
# Pupil-level data of school years that ended longer ago than this is anonymised (AVG).
MAAKSTAD_RETENTION_YEARS = env_int("MAAKSTAD_RETENTION_YEARS", 2)
# Offers and contact persons not confirmed for this many days count as stale (menukaart,
# contact directory) and are asked to confirm by `send_freshness_reminders`.
MAAKSTAD_STALE_AFTER_DAYS = env_int("MAAKSTAD_STALE_AFTER_DAYS", 183)

# Security. Production sets DEBUG=0 and MAAKSTAD_HTTPS=1 behind TLS.
HTTPS = env_bool("MAAKSTAD_HTTPS", False)
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS and env_bool("MAAKSTAD_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = 31536000 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if HTTPS else None
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

from django.utils.csp import CSP  # noqa: E402

SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.UNSAFE_INLINE],
    "img-src": [
        CSP.SELF,
        "data:",
        "blob:",
        *env_list(
            "MAAKSTAD_TILE_HOSTS",
            ["https://tile.openstreetmap.org", "https://*.tile.openstreetmap.org"],
        ),
    ],
    "connect-src": [CSP.SELF],
    "media-src": [CSP.SELF, "blob:"],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
    "base-uri": [CSP.SELF],
}

# Maakstad's own settings.
MAAKSTAD_TILE_URL = env_str("MAAKSTAD_TILE_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png")
MAAKSTAD_TILE_ATTRIBUTION = env_str("MAAKSTAD_TILE_ATTRIBUTION", "&copy; OpenStreetMap-bijdragers")
MAAKSTAD_GEOCODER_URL = env_str(
    "MAAKSTAD_GEOCODER_URL", "https://api.pdok.nl/bzk/locatieserver/search/v3_1/free"
)
MAAKSTAD_GEOCODING = env_bool("MAAKSTAD_GEOCODING", False)
MAAKSTAD_LOGIN_ATTEMPTS = env_int("MAAKSTAD_LOGIN_ATTEMPTS", 5)
MAAKSTAD_LOGIN_WINDOW_SECONDS = env_int("MAAKSTAD_LOGIN_WINDOW_SECONDS", 15 * 60)
# Roles (Role values, e.g. "programme_manager,controller") that must use two-factor log-in.
MAAKSTAD_2FA_REQUIRED_ROLES = env_list("MAAKSTAD_2FA_REQUIRED_ROLES", [])
MAAKSTAD_SITE_URL = env_str("MAAKSTAD_SITE_URL", "http://127.0.0.1:8000")
MAAKSTAD_DEMO_PASSWORD = "maakstad-demo"
# Single sign-on for schools (docs/sso.md): a JSON list of identity providers (Entree
# Federatie, SURFconext), and the optional SAML signing key and certificate of Maakstad.
MAAKSTAD_SSO_PROVIDERS = env_json_list("MAAKSTAD_SSO_PROVIDERS")
MAAKSTAD_SSO_SP_KEY = env_str("MAAKSTAD_SSO_SP_KEY")
MAAKSTAD_SSO_SP_CERT = env_str("MAAKSTAD_SSO_SP_CERT")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "maakstad.core.middleware.RequestIdLogFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"}
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["request_id"],
        }
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
