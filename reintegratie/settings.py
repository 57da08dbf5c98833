"""Settings, read from environment variables (see README, "Configuratie").

Without any variable set the app runs for development on SQLite with Celery tasks run in-process.
Production sets DJANGO_SECRET_KEY, DATABASE_URL (PostgreSQL), REDIS_URL and DJANGO_ALLOWED_HOSTS.
"""

import os
from datetime import date
from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

from operations.logging import logging_config

BASE_DIR = Path(__file__).resolve().parent.parent
env = environ.Env()
if (BASE_DIR / ".env").exists():
    environ.Env.read_env(BASE_DIR / ".env")

DEBUG = env.bool("DJANGO_DEBUG", default=False)
SECRET_KEY = env("DJANGO_SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG and not env.bool("DJANGO_ALLOW_INSECURE_KEY", default=False):
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off.")
    SECRET_KEY = "insecure-development-key-never-use-in-production"  # noqa: S105

ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",  # OpClass in index definitions (the trigram search index), pg_trgm
    "simple_history",
    "django_filters",
    "axes",
    "csp",
    "entiteiten",
    "trajecten",
    "rapportering",
    "operations",
    "privacy",
]

MIDDLEWARE = [
    "operations.middleware.HealthCheckMiddleware",  # first: the load balancer's probe needs nothing else
    "operations.middleware.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Below WhiteNoise: static files are answered before these two; every other response gets their headers.
    "csp.middleware.CSPMiddleware",
    "reintegratie.middleware.SecurityHeadersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "reintegratie.middleware.ToegangMiddleware",
    "axes.middleware.AxesMiddleware",
    "privacy.middleware.ReadLogMiddleware",
]

ROOT_URLCONF = "reintegratie.urls"
WSGI_APPLICATION = "reintegratie.wsgi.application"

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
                "reintegratie.context_processors.toegang",
            ],
        },
    },
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = True
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DJANGO_CONN_MAX_AGE", default=60)
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # PostgreSQL's JIT compiler spends 0.7 s compiling the reports' large queries (the absence periods of a
    # VO year at 1,000,000 trajectories) and gains less than that; the other queries are too short for it.
    # A DATABASE_URL with its own ?options=... keeps those.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")
else:
    # The worklist's covering indexes (INCLUDE) are PostgreSQL's; elsewhere (SQLite in development) their
    # migration skips them, so the warning that SQLite would ignore the included columns does not apply.
    SILENCED_SYSTEM_CHECKS = ["models.W040"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "entiteiten.Gebruiker"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "entiteiten.oidc.OIDCBackend",  # single sign-on; inert while OIDC_RP_CLIENT_ID is empty
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Sessions end after inactivity (seconds); every request renews the session.
SESSION_COOKIE_AGE = env.int("DJANGO_SESSION_TIMEOUT", default=30 * 60)
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# Lock-out after repeated failed log-ins (django-axes, database handler).
# - Counted per username, whatever the address: axes sums the failures of every (username, address, browser)
#   row of that username, so spreading guesses over many addresses does not help. The pair (username,
#   address) stays listed: it never locks sooner than the username alone, but keeps axes' check W006 (which
#   wants the address somewhere) quiet. Not per address alone: many staff share a proxy's address.
# - The cool-off runs from the last failure that counted. Attempts while locked are refused without being
#   recorded (AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False; axes' default True would restart the
#   cool-off on each one, so an attacker could keep an account locked with one request every few minutes).
#   After the cool-off the count starts again from zero.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=0.5)
AXES_LOCKOUT_PARAMETERS = ["username", ["username", "ip_address"]]
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_LOCKOUT_TEMPLATE = "registration/locked.html"
AXES_WHITELIST_CALLABLE = "entiteiten.oidc.axes_whitelist"  # single sign-on failures are not passwords

# Single sign-on through OpenID Connect (README, "Single sign-on"): off while OIDC_RP_CLIENT_ID is empty.
OIDC_RP_CLIENT_ID = env("OIDC_RP_CLIENT_ID", default="")
OIDC_RP_CLIENT_SECRET = env("OIDC_RP_CLIENT_SECRET", default="")
OIDC_OP_AUTHORIZATION_ENDPOINT = env("OIDC_OP_AUTHORIZATION_ENDPOINT", default="")
OIDC_OP_TOKEN_ENDPOINT = env("OIDC_OP_TOKEN_ENDPOINT", default="")
OIDC_OP_USER_ENDPOINT = env("OIDC_OP_USER_ENDPOINT", default="")
OIDC_OP_JWKS_ENDPOINT = env("OIDC_OP_JWKS_ENDPOINT", default="")
OIDC_OP_LOGOUT_ENDPOINT = env("OIDC_OP_LOGOUT_ENDPOINT", default="")
OIDC_RP_SIGN_ALGO = env("OIDC_RP_SIGN_ALGO", default="RS256")
OIDC_RP_SCOPES = env("OIDC_RP_SCOPES", default="openid email profile")
OIDC_TOKEN_USE_BASIC_AUTH = env.bool("OIDC_TOKEN_USE_BASIC_AUTH", default=False)
OIDC_TIMEOUT = env.float("OIDC_TIMEOUT", default=10)
OIDC_CLAIM_ROLE = env("OIDC_CLAIM_ROLE", default="roles")
OIDC_CLAIM_ENTITY = env("OIDC_CLAIM_ENTITY", default="entiteit")
OIDC_CLAIM_USERNAME = env("OIDC_CLAIM_USERNAME", default="preferred_username")
# The platform's role values and the tool's role each gets: "value=terugkeercoach,value=hr,value=ago".
OIDC_ROLE_MAP = env.dict("OIDC_ROLE_MAP", default={})
OIDC_USE_PKCE = True
OIDC_USE_NONCE = True
OIDC_STORE_ID_TOKEN = True  # kept in the session for the platform's log-out (id_token_hint)
OIDC_CREATE_USER = True

LANGUAGE_CODE = "nl-be"
LANGUAGES = [("nl-be", _("Nederlands"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Brussels"
USE_I18N = True
USE_TZ = True
DATE_INPUT_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]
FORMAT_MODULE_PATH = ["reintegratie.formats"]

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = env.bool("WHITENOISE_USE_FINDERS", default=DEBUG)
MEDIA_ROOT = env.path("REPORT_STORAGE_DIR", default=BASE_DIR / "media")

# HTTPS hardening: on by default in production, off for development and tests.
HTTPS = env.bool("DJANGO_HTTPS", default=not DEBUG)
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = 31536000 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if env.bool("DJANGO_BEHIND_PROXY", default=False) else None
)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True

# Content-Security-Policy (django-csp): only the project's own scripts, styles, images and fonts; no inline
# script or style (no 'unsafe-inline'), no plug-ins, no framing, forms post only to this site. The dashboard's
# charts are inline SVG drawn with presentation attributes (fill, x, y), which CSP does not restrict.
# Permissions-Policy and Cache-Control: no-store are set in reintegratie.middleware.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [NONE],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [NONE],
        "object-src": [NONE],
        "upgrade-insecure-requests": HTTPS,
    }
}

# Redis: broker for Celery and cache. Without REDIS_URL, tasks run in-process (development).
REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or "cache+memory://"
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_DEFAULT_QUEUE = env("CELERY_TASK_DEFAULT_QUEUE", default="celery")
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_WORKER_HIJACK_ROOT_LOGGER = False  # workers log through LOGGING below (JSON lines)
# A task whose worker died (killed, machine gone) goes back to the queue once it has been unacknowledged
# this long; it must exceed the longest task and countdown (send_notifications retries after 300 s).
# Workers look for such tasks every CELERY_UNACKED_RESTORE_INTERVAL seconds.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=900),
    "unacked_restore_interval": env.float("CELERY_UNACKED_RESTORE_INTERVAL", default=10),
    "unacked_restore_throttle": 1,
}

# Deadline monitoring (issue "Deadline monitoring"): daily run at this local hour, in batches of this many
# open trajectories spread over the workers (trajecten.jobs).
DEADLINE_BATCH_SIZE = env.int("DEADLINE_BATCH_SIZE", default=2000)
# The pool processes of all workers together: the batches come in a multiple of it, of equal size, so that the
# processes end together. Default: one worker (docker-compose) with Celery's default pool, one process per CPU.
DEADLINE_WORKER_PROCESSES = env.int("DEADLINE_WORKER_PROCESSES", default=os.cpu_count() or 1)
# Tests only: a batch waits this many seconds before it commits (the worker test kills it meanwhile).
DEADLINE_BATCH_STALL = env.float("DEADLINE_BATCH_STALL", default=0)
DEADLINE_JOB_HOUR = env.int("DEADLINE_JOB_HOUR", default=6)
DEADLINE_JOB_MINUTE = env.int("DEADLINE_JOB_MINUTE", default=0)
REPORT_FIGURES_HOUR = env.int("REPORT_FIGURES_HOUR", default=5)
RETENTION_JOB_HOUR = env.int("RETENTION_JOB_HOUR", default=3)
CELERY_BEAT_SCHEDULE = {
    "evaluate-deadlines-daily": {
        "task": "trajecten.tasks.run_deadline_job",
        "schedule": crontab(hour=DEADLINE_JOB_HOUR, minute=DEADLINE_JOB_MINUTE),
    },
    "refresh-dashboard-figures-daily": {
        "task": "rapportering.tasks.refresh_year_figures",
        "schedule": crontab(hour=REPORT_FIGURES_HOUR, minute=30),
    },
    "apply-retention-daily": {
        "task": "privacy.tasks.apply_retention",
        "schedule": crontab(hour=RETENTION_JOB_HOUR, minute=15),
    },
    "purge-form-tokens-daily": {
        "task": "trajecten.tasks.purge_form_tokens",
        "schedule": crontab(hour=RETENTION_JOB_HOUR, minute=45),
    },
}

# Base URL used in e-mails (links to dossiers).
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000")
NOTIFICATION_MAX_ATTEMPTS = env.int("NOTIFICATION_MAX_ATTEMPTS", default=5)
# Senders the deadline run's end starts side by side (send_notifications tasks; the mails are shared out
# row by row under FOR UPDATE SKIP LOCKED, each sent once). One per worker process is a good start.
NOTIFICATION_SENDERS = env.int("NOTIFICATION_SENDERS", default=2)

# The date from which the circular's *mandatory* start of a formal trajectory applies ("the first day of
# the month after the VPS amendment"). Not fixed yet: empty means "not in force", and the tool warns
# instead of flagging "formeel traject verplicht".
_verplicht = env("FORMEEL_VERPLICHT_VANAF", default="")
FORMEEL_VERPLICHT_VANAF = date.fromisoformat(_verplicht) if _verplicht else None

# Aggregated reports: cells with fewer persons than this are shown as "<N".
REPORT_MIN_CELL = env.int("REPORT_MIN_CELL", default=5)
# Reports of several periods at once (a year and the year before) from this many trajectories on: each
# period's figures in its own process, side by side on the CPUs (reintegratie.parallel; 0: never).
REPORT_PARALLEL_FROM = env.int("REPORT_PARALLEL_FROM", default=20000)
# A dashboard period other than a calendar year: computed in the request up to this many trajectories in its
# scope (about half a second), else by a worker while the page says so; either way kept this many seconds.
REPORT_INLINE_UP_TO = env.int("REPORT_INLINE_UP_TO", default=5000)
REPORT_PERIOD_SECONDS = env.int("REPORT_PERIOD_SECONDS", default=3600)

EMAIL_BACKEND = env(
    "DJANGO_EMAIL_BACKEND",
    default="django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)  # STARTTLS, usually on port 587
EMAIL_USE_SSL = env.bool("EMAIL_USE_SSL", default=False)  # implicit TLS, usually on port 465
EMAIL_TIMEOUT = env.float("EMAIL_TIMEOUT", default=30)  # seconds; a mail server that hangs fails the send
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="re-integratie@vlaanderen.be")

# Retention (README, "Retention (storage limitation)"): years after the closing of a staff member's last trajectory after
# which the nightly job anonymises their data. No default: AgO decides it with the data protection officer
# (``check --deploy`` warns while it is not set, and nothing is anonymised).
RETENTION_YEARS = env.int("RETENTION_YEARS", default=None)
if RETENTION_YEARS is not None and RETENTION_YEARS < 1:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("RETENTION_YEARS must be a whole number of years, at least 1.")
# Read log (who read which dossier): kept this many days, then purged by the same nightly job.
READ_LOG_RETENTION_DAYS = env.int("READ_LOG_RETENTION_DAYS", default=730)

# Health endpoint for the load balancer, and the Celery workers' heartbeat it checks.
HEALTH_PATH = env("HEALTH_PATH", default="/health/")
HEALTH_CHECK_CELERY = env.bool("HEALTH_CHECK_CELERY", default=True)
HEALTH_HEARTBEAT_INTERVAL = env.float("HEALTH_HEARTBEAT_INTERVAL", default=15.0)
HEALTH_HEARTBEAT_MAX_AGE = env.float("HEALTH_HEARTBEAT_MAX_AGE", default=60.0)
HEALTH_HEARTBEAT_KEY_PREFIX = env("HEALTH_HEARTBEAT_KEY_PREFIX", default="reintegratie:celery-heartbeat:")

# Structured logs: one JSON line per event, with the request id (DJANGO_LOG_FORMAT=text for development).
LOGGING = logging_config(
    env("DJANGO_LOG_FORMAT", default="text" if DEBUG else "json"), env("DJANGO_LOG_LEVEL", default="INFO")
)
