"""Settings shared by every environment. Values come from the environment or .env."""

from __future__ import annotations

import os
from datetime import timedelta

from django.utils.translation import gettext_lazy as _

from config.env import BASE_DIR, DATA_DIR, env

SECRET_KEY = env.str("SECRET_KEY", default="dev-only-insecure-key-change-me")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    # Unfold must precede django.contrib.admin so its templates win.
    "unfold",
    "unfold.contrib.filters",
    "unfold.contrib.forms",
    "unfold.contrib.import_export",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "django_htmx",
    "django_bootstrap5",
    "bootstrap",
    "rest_framework",
    "oauth2_provider",
    "drf_standardized_errors",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "import_export",
    "django_celery_beat",
    "django_celery_results",
    "pgtrigger",
    "pghistory",
    "pghistory.admin",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "core",
    "registry",
    "bpjs",
    "odgj",
    "puskesos",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "core.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "core.middleware.TwoFactorRequiredMiddleware",
    "core.middleware.AuditContextMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "core.middleware.PersonalDataNoStoreMiddleware",
    "core.middleware.SessionAbsoluteTimeoutMiddleware",
    "core.middleware.SecurityHeadersMiddleware",
    # Last, as django-axes asks: it answers locked-out logins.
    "axes.middleware.AxesMiddleware",
]

# Partner API calls (/api/v1/, bearer token only) run through this shorter chain
# (config.handlers): the response headers of the site, none of the browser session
# machinery (sessions, CSRF, login, second factor, messages, htmx, lockout).
API_MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "core.middleware.ChosenLanguageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "core.middleware.PersonalDataNoStoreMiddleware",
    "core.middleware.SecurityHeadersMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        # Project templates come first so our admin/index.html beats Unfold's.
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "core.context_processors.navigation",
                "core.context_processors.session_keepalive",
            ],
        },
    }
]

# --- Database -----------------------------------------------------------------
# With DATABASE_URL: that server. Without: an embedded PostgreSQL under .data/.
if env.str("DATABASE_URL", default=""):
    DATABASES = {"default": env.db("DATABASE_URL")}
else:
    from config.embedded_db import embedded_database_settings

    DATABASES = {"default": embedded_database_settings(DATA_DIR)}
# A second database on the same server (benchmarks use "dinsos_bench").
DATABASES["default"]["NAME"] = env.str(
    "DATABASE_NAME", default=DATABASES["default"]["NAME"]
)
# Django's backend with a health check that skips the round trip on a quiet
# connection (core/postgresql/base.py).
DATABASES["default"]["ENGINE"] = "core.postgresql"
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = env.bool(
    "CONN_HEALTH_CHECKS", default=True
)
# A statement whose client has gone (a worker killed mid-import) is cancelled within
# this interval instead of running to its end while holding its locks: PostgreSQL
# otherwise notices only when it next writes to the dead socket (PostgreSQL 14+).
_options = DATABASES["default"].setdefault("OPTIONS", {})
_options["options"] = (
    f"{_options.get('options', '')} -c client_connection_check_interval="
    f"{env.int('DB_CLIENT_CHECK_SECONDS', default=10) * 1000}"
).strip()
# The partner API's hottest statements run prepared (core.postgresql.PreparedCursor).
# Off behind a transaction-mode pooler that cannot keep prepared statements.
DB_PREPARED_STATEMENTS = env.bool("DB_PREPARED_STATEMENTS", default=True)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Auth -----------------------------------------------------------------------
AUTH_USER_MODEL = "core.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # lockout after repeated failures
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("LOGIN_COOLOFF_HOURS", default=0.5)
# Per account and address: a shared kelurahan NAT is not locked out as a whole.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# Roles that must pass TOTP two-factor authentication (django-otp) after the password.
TWO_FACTOR_ROLES = frozenset({"supervisor_dinsos", "admin", "pekerja_sosial_odgj"})
OTP_TOTP_ISSUER = "Dinsos Balikpapan"
SESSION_ABSOLUTE_SECONDS = env.int("SESSION_ABSOLUTE_SECONDS", default=10 * 60 * 60)
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation."
        "UserAttributeSimilarityValidator"
    },
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
SESSION_COOKIE_AGE = env.int("SESSION_IDLE_SECONDS", default=30 * 60)
SESSION_SAVE_EVERY_REQUEST = True  # idle timeout: each request extends the session
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True

# --- Internationalisation -----------------------------------------------------
LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Bahasa Indonesia")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Makassar"
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = True
# Our own formats: the id locale also accepts US month/day input, which we refuse.
FORMAT_MODULE_PATH = ["config.formats"]

# --- Static and media -----------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploads (documents, ODGJ photos) are never served from a public URL: they live
# outside STATIC and are streamed by views that check access.
MEDIA_ROOT = env.path("MEDIA_ROOT", default=str(DATA_DIR / "media"))
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage",
    },
}

# --- Celery -------------------------------------------------------------------------
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_BROKER_TRANSPORT_OPTIONS: dict[str, object] = {
        # Must exceed every task's hard time limit, or Redis re-delivers a long
        # task that is still running and it runs twice (checked below).
        "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=4 * 60 * 60),
        # How often a worker sweeps for messages of a dead worker (seconds x N).
        "unacked_restore_interval": env.int(
            "CELERY_UNACKED_RESTORE_INTERVAL", default=10
        ),
        "unacked_restore_throttle": env.int(
            "CELERY_UNACKED_RESTORE_THROTTLE", default=10
        ),
    }
else:
    _celery_dir = DATA_DIR / "celery"
    for _sub in ("queue", "processed"):
        (_celery_dir / _sub).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_celery_dir / "queue"),
        "data_folder_out": str(_celery_dir / "queue"),
        "processed_folder": str(_celery_dir / "processed"),
    }
CELERY_RESULT_BACKEND = "django-db"
CELERY_RESULT_EXTENDED = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
# Without this a task whose worker was killed is acknowledged and lost.
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=60 * 60)
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=2 * 60 * 60)
if REDIS_URL and not (
    int(CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]) > CELERY_TASK_TIME_LIMIT  # type: ignore[call-overload]
):
    raise ValueError("CELERY_VISIBILITY_TIMEOUT must exceed CELERY_TASK_TIME_LIMIT")
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]

# --- Cache (rate limits) -------------------------------------------------------------
CACHES = {
    "default": (
        {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
        }
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}
# Each process takes a client's calls from the shared counter in leases of
# limit / RATE_LIMIT_LEASE_SHARE (core/ratelimit.py). With many web processes, a
# larger share keeps what unspent leases strand small (at most processes / share of
# the limit).
RATE_LIMIT_LEASE_SHARE = env.int("RATE_LIMIT_LEASE_SHARE", default=100)
PUBLIC_FORM_RATE_LIMIT = env.int(
    "PUBLIC_FORM_RATE_LIMIT", default=10
)  # per IP per hour

# --- REST API ---------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_AUTHENTICATION_CLASSES": ["core.api.PartnerAuthentication"],
    "DEFAULT_THROTTLE_CLASSES": ["core.api.ClientRateThrottle"],
    # JSON only: partners are programs, and the browsable API's negotiation cost a
    # tenth of a status call (bench/api.py). People read the API in /api/docs/.
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "core.api.ContentNegotiation",
    "DEFAULT_THROTTLE_RATES": {"partner": env.str("API_RATE", default="1200/min")},
    "DEFAULT_VERSIONING_CLASS": "rest_framework.versioning.URLPathVersioning",
    "ALLOWED_VERSIONS": ["v1"],
    "DEFAULT_SCHEMA_CLASS": "drf_standardized_errors.openapi.AutoSchema",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "EXCEPTION_HANDLER": "core.api.exception_handler",
    "URL_FORMAT_OVERRIDE": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Dinsos Balikpapan API",
    "DESCRIPTION": "API untuk penghubung Dukcapil.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # The one grant partners use (config/urls.py mounts only its token endpoint).
    "OAUTH2_FLOWS": ["clientCredentials"],
    "OAUTH2_TOKEN_URL": "/api/oauth/token/",
    "ENUM_NAME_OVERRIDES": {
        "ValidationErrorEnum": "drf_standardized_errors.openapi_serializers.ValidationErrorEnum.choices",
        "ClientErrorEnum": "drf_standardized_errors.openapi_serializers.ClientErrorEnum.choices",
        "ServerErrorEnum": "drf_standardized_errors.openapi_serializers.ServerErrorEnum.choices",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_standardized_errors.openapi_hooks.postprocess_schema_enums",
    ],
}

# How long a worker process may reuse a bearer token row it has read (core.api):
# expiry, scope and the owner's role are still checked on every call; a revocation
# reaches the other processes within this many seconds. 0 reads it on every call.
API_TOKEN_CACHE_SECONDS = env.int("API_TOKEN_CACHE_SECONDS", default=5)

OAUTH2_PROVIDER = {
    "SCOPES": {
        "odgj:read": "Membaca antrean perekaman ODGJ",
        "odgj:write": "Melaporkan hasil perekaman ODGJ",
        "population:write": "Mengirim perubahan kependudukan",
        "status:read": "Memeriksa status layanan berdasarkan NIK",
    },
    "DEFAULT_SCOPES": [],
    "OAUTH2_VALIDATOR_CLASS": "core.api.PartnerOAuth2Validator",
    "ACCESS_TOKEN_EXPIRE_SECONDS": env.int("API_TOKEN_SECONDS", default=3600),
    # Client secrets are hashed by default; access tokens hashed at rest too. Every
    # RFC 9700 (OAuth 2.0 Security BCP) hardening on: we only use client credentials.
    "COMPLIANT_BCP_RFC9700_TOKEN_STORAGE": True,
    "COMPLIANT_BCP_RFC9700_IMPLICIT_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PASSWORD_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PKCE_METHOD": True,
    "COMPLIANT_BCP_RFC9700_ACCESS_TOKEN_TRANSPORT": True,
    "COMPLIANT_BCP_RFC9700_AUTHZ_RESPONSE_ISS": True,
    "COMPLIANT_BCP_RFC9700_REFRESH_TOKEN": True,
    "COMPLIANT_BCP_RFC9700_REDIRECT_URI_SCHEME": True,
    "REFRESH_TOKEN_REUSE_PROTECTION": True,
    "ALLOWED_REDIRECT_URI_SCHEMES": ["https"],
}
DRF_STANDARDIZED_ERRORS = {"ENABLE_IN_DEBUG_FOR_UNHANDLED_EXCEPTIONS": False}

# --- Admin (Unfold) ---------------------------------------------------------------
UNFOLD = {
    "SITE_TITLE": _("Dinsos Balikpapan"),
    "SITE_HEADER": _("Dinas Sosial Kota Balikpapan"),
    "SITE_SYMBOL": "diversity_3",
    "DASHBOARD_CALLBACK": "core.dashboard.dashboard_callback",
    "SHOW_LANGUAGES": True,
    # The idle timeout's keep-alive and notice, as on our pages
    # (core/context_processors.py, templates/admin/base.html).
    "SCRIPTS": ["core.context_processors.session_script"],
    "STYLES": ["core.context_processors.admin_stylesheet"],
}

# --- pghistory ---------------------------------------------------------------------
PGHISTORY_ADMIN_CLASS = "core.admin_audit.AuditEventsAdmin"

# --- Logging -----------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"mask_personal_data": {"()": "core.logging.MaskPersonalDataFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["mask_personal_data"],
        },
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
    },
}

# --- Domain configuration ---------------------------------------------------------
# Kota Balikpapan (Kemendagri 64.71). Residency is decided by the household's
# kelurahan, which always belongs to this city, never by NIK digits.
CITY_CODE = "64.71"
# Number of days a stage may wait before it is overdue, etc. live with their apps.
SKTM_SIGNING_KEY_SALT = "sktm-verification"
PUBLIC_BASE_URL = env.str("PUBLIC_BASE_URL", default="http://127.0.0.1:8000")
FIELD_ENCRYPTION_KEYS = env.list("FIELD_ENCRYPTION_KEYS", default=[])
if not FIELD_ENCRYPTION_KEYS:
    # Development only (production.py requires the variable): a key generated once
    # and kept under .data/, so `make run` needs no setup.
    from config.env import dev_field_key

    FIELD_ENCRYPTION_KEYS = [dev_field_key()]
EMAIL_BACKEND = env.str(
    "EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend"
)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="noreply@dinsos.local")
JOB_LOCK_TIMEOUT = timedelta(hours=6)
GAKIN_MAX_DESIL = env.int(
    "GAKIN_MAX_DESIL", default=5
)  # [U] policy; see registry.eligibility
BREAK_GLASS_HOURS = env.int("BREAK_GLASS_HOURS", default=3)
# DTKS files from this size on (1 MB: about 7,500 rows) are validated by several
# forked processes at once, each taking every n-th row
# (registry.services.dtks_staging); 0 processes = one per core.
DTKS_VALIDATION_PROCESSES = env.int("DTKS_VALIDATION_PROCESSES", default=0)
DTKS_PARALLEL_MIN_BYTES = env.int("DTKS_PARALLEL_MIN_BYTES", default=1024 * 1024)
# A commit inserting at least this many persons, and at least this share of those
# already registered, drops and rebuilds the indexes and foreign keys of the tables it
# fills (registry.services.dtks_bulk); 0 turns it off. The registry cannot be read
# while such a commit runs; if its tables are busy for longer than the timeout, the
# commit maintains the indexes row by row instead.
DTKS_BULK_LOAD_MIN_ROWS = env.int("DTKS_BULK_LOAD_MIN_ROWS", default=10_000)
DTKS_BULK_LOAD_MIN_SHARE = env.float("DTKS_BULK_LOAD_MIN_SHARE", default=0.5)
DTKS_BULK_LOAD_LOCK_TIMEOUT_MS = env.int("DTKS_BULK_LOAD_LOCK_TIMEOUT_MS", default=5000)
DTKS_BULK_LOAD_MAINTENANCE_WORK_MEM = env.str(
    "DTKS_BULK_LOAD_MAINTENANCE_WORK_MEM", default="256MB"
)
# A DTKS snapshot that takes at least DTKS_DEACTIVATION_CONFIRM_MIN persons out of
# DTKS, and either this share of those active or every person of a kelurahan the file
# has no row for, is only saved with the supervisor's explicit confirmation: a partial
# export (one kecamatan, a download cut short) would otherwise end the gakin
# entitlement of everyone it left out. How much a regular update removes is not
# published; 5 % is our guess, to be set from the first real snapshots.
DTKS_DEACTIVATION_CONFIRM_SHARE = env.float(
    "DTKS_DEACTIVATION_CONFIRM_SHARE", default=0.05
)
DTKS_DEACTIVATION_CONFIRM_MIN = env.int("DTKS_DEACTIVATION_CONFIRM_MIN", default=100)
# Its non-unique indexes are built after its COMMIT, this many at once, each on its
# own connection (and each given the maintenance_work_mem above): one per core.
DTKS_INDEX_BUILDERS = env.int("DTKS_INDEX_BUILDERS", default=os.cpu_count() or 1)
# The statistics target of the ANALYZE statements a bulk load runs between its steps
# and of the staging table's (PostgreSQL samples 300 rows per unit): they plan the
# import's own statements, which need row counts and rough distinct counts, not the
# detailed histograms the default of 100 buys. After a bulk load autovacuum analyzes
# every column at the server's target (registry.services.dtks.analyze); a commit row
# by row keeps the server's target.
DTKS_ANALYZE_STATISTICS_TARGET = env.int("DTKS_ANALYZE_STATISTICS_TARGET", default=10)
RETENTION_YEARS = env.int(
    "RETENTION_YEARS", default=5
)  # [U] Dinsos policy (UU PDP Pasal 44)
