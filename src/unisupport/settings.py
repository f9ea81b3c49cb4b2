"""Django settings: one file, driven by environment variables.

DATABASE_URL selects the database (default: an embedded SQLite file in WAL mode under
``var/``); everything else has a development-friendly default. Each variable is read by a strict
reader of ``unisupport.env``: a value it cannot read stops the start, naming the variable.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

import dj_database_url

from unisupport.env import env_bool, env_choice, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = Path(env_str("UNISUPPORT_HOME", str(Path.cwd())))
VAR_DIR = PROJECT_DIR / "var"

SECRET_KEY = env_str("UNISUPPORT_SECRET_KEY", "dev-only-not-secret-change-me-in-production")
DEBUG = env_bool("UNISUPPORT_DEBUG", True)
ALLOWED_HOSTS = env_list("UNISUPPORT_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    # Its static files: /api/docs serves Swagger UI's own assets, never a CDN's (works offline).
    "ninja",
    "unisupport.accounts",
    "unisupport.catalog",
    "unisupport.orders",
    "unisupport.calendars",
    "unisupport.incidents",
    "unisupport.ledger",
    "unisupport.deliveries",
    "unisupport.programmes",
    "unisupport.success",
    "unisupport.webhooks",
    "unisupport.ops",
    "unisupport.portal",
]

# /health/ready says "not ready" when the worker (unisupport worker) has not finished a pass for this
# long: milestones, e-mails and forfeitures would wait. Its passes come every few seconds.
UNISUPPORT_WORKER_STALE_SECONDS = env_int("UNISUPPORT_WORKER_STALE_SECONDS", 300, minimum=1)

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Static files (the portal's CSS) served by the application itself, under any server.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Content-Security-Policy, and no caching of what a signed-in person or a token was shown.
    "unisupport.security.SecurityHeaders",
    # The API's JSON bodies within limits (NUL, length, nesting): 422 naming where (issue 17 §0).
    "unisupport.api.parser.InputLimits",
]

# Security headers (issue 17 §3). The policy itself: unisupport/security.py.
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# Behind TLS (the proxy sets X-Forwarded-Proto): cookies only over HTTPS, and HSTS for a year.
UNISUPPORT_HTTPS = env_bool("UNISUPPORT_HTTPS", False)
if UNISUPPORT_HTTPS:
    SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env_int("UNISUPPORT_HSTS_SECONDS", 31_536_000, minimum=0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True

ROOT_URLCONF = "unisupport.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

WSGI_APPLICATION = "unisupport.wsgi.application"


def _database() -> dict[str, Any]:
    """Return the database settings that DATABASE_URL names (embedded SQLite by default)."""
    url = os.environ.get("DATABASE_URL")
    if not url:
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        url = f"sqlite:///{VAR_DIR / 'unisupport.sqlite3'}"
    # Persistent connections (a minute) on servers: a new PostgreSQL connection per request
    # costs more than the request's own queries.
    max_age = env_int("UNISUPPORT_CONN_MAX_AGE", 60, minimum=0)
    config: dict[str, Any] = dict(dj_database_url.parse(url, conn_max_age=max_age, conn_health_checks=True))
    if config["ENGINE"] == "django.db.backends.sqlite3":
        config["CONN_MAX_AGE"] = 0
        # WAL lets readers run beside the one writer; IMMEDIATE takes the write lock at
        # BEGIN, so concurrent writers queue on the busy timeout instead of failing with
        # "database is locked" when a deferred transaction tries to upgrade its lock.
        # synchronous=FULL: a commit is on disk when it returns, so a power loss never takes an
        # acknowledged ledger posting back (issue 17 §0); NORMAL (faster) may lose the last commits.
        synchronous = env_choice(
            "UNISUPPORT_SQLITE_SYNCHRONOUS", "FULL", frozenset({"FULL", "NORMAL", "EXTRA"})
        )
        config["OPTIONS"] = {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": f"PRAGMA journal_mode=WAL; PRAGMA synchronous={synchronous}; PRAGMA foreign_keys=ON;",
        }
        # The test database is a file, not memory: tests run workers in other processes
        # (the worker, concurrent redemptions) that must see the same database.
        # One file per test run (several runs may share a checkout).
        default_test = Path(tempfile.gettempdir()) / f"unisupport-test-{os.getpid()}.sqlite3"
        config["TEST"] = {"NAME": os.environ.get("UNISUPPORT_TEST_SQLITE") or str(default_test)}
    elif env_bool("UNISUPPORT_PG_PREPARE", True):
        # Django turns psycopg's prepared statements off (for transaction-mode poolers). The
        # ledger's hot statements ask for them explicitly (prepare=True), so the server keeps their
        # plans; a threshold no query reaches leaves every other query as Django sends it.
        # UNISUPPORT_PG_PREPARE=0 behind a pooler that cannot keep prepared statements.
        config.setdefault("OPTIONS", {})["prepare_threshold"] = 2**31 - 1
    return config


DATABASES = {"default": _database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("fr", "Français")]
# Each app keeps its own locale/ (make messages). The domain is no app: its catalogue (the
# templates of its refusals and ledger reasons, see domain/messages.py) is named here.
LOCALE_PATHS: list[Path] = [BASE_DIR / "domain" / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
# WhiteNoise finds the apps' static files itself: no collectstatic step, no STATIC_ROOT.
WHITENOISE_USE_FINDERS = True

LOGIN_URL = "portal:login"
LOGIN_REDIRECT_URL = "portal:home"
LOGOUT_REDIRECT_URL = "portal:login"

EMAIL_BACKEND = env_str("UNISUPPORT_EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env_str("UNISUPPORT_SMTP_HOST", "127.0.0.1")
EMAIL_PORT = env_int("UNISUPPORT_SMTP_PORT", 1025, minimum=1)
DEFAULT_FROM_EMAIL = env_str("UNISUPPORT_FROM_EMAIL", "unisupport@localhost")
# Product rule: a password reset link works once, for an hour (Django signs it with the password's
# hash and the last sign-in, so a used or outdated link fails).
PASSWORD_RESET_TIMEOUT = 3600
# Deliverables (DEL-7): stored here, outside the web root, served only through the product's checks.
UNISUPPORT_FILES_DIR = Path(env_str("UNISUPPORT_FILES_DIR", str(VAR_DIR / "files")))
UNISUPPORT_MAX_DELIVERABLE_BYTES = env_int("UNISUPPORT_MAX_DELIVERABLE_BYTES", 100 * 1024 * 1024, minimum=1)
# Where an incident's milestone goes when nobody is assigned to hear of it (never dropped).
UNISUPPORT_FALLBACK_EMAIL = env_str("UNISUPPORT_FALLBACK_EMAIL", DEFAULT_FROM_EMAIL)
# The portal's address as people reach it: links in e-mails (the one-click unsubscribe, RSP-8).
UNISUPPORT_BASE_URL = env_str("UNISUPPORT_BASE_URL", "http://localhost:8000")
# Hosts a webhook endpoint may reach over plain http:// (development receivers); loopback needs
# only UNISUPPORT_DEBUG=1. Everything else is https://.
UNISUPPORT_WEBHOOK_DEVELOPMENT_HOSTS = [
    h.strip() for h in env_str("UNISUPPORT_WEBHOOK_DEVELOPMENT_HOSTS", "").split(",") if h.strip()
]
EMAIL_FILE_PATH = env_str("UNISUPPORT_MAIL_DIR", str(VAR_DIR / "mail"))  # the file backend (make run)

LOG_LEVELS = frozenset({"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"})
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_choice("UNISUPPORT_LOG_LEVEL", "WARNING", LOG_LEVELS)},
}
