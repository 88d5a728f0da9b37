"""Gongchuang settings, read from the environment (twelve-factor).

Every value has a safe default for the embedded mode (SQLite in WAL mode and
local files under ``var/``), so ``./scripts/serve`` runs on a laptop with
nothing else installed. Production switches: ``DATABASE_URL``, ``REDIS_URL``,
``TASKS_BROKER``, ``AWS_STORAGE_BUCKET_NAME``, ``HTTPS`` and ``ALLOWED_HOSTS``;
see README.md.
"""

import secrets
from pathlib import Path
from urllib.parse import unquote

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from .paths import var_dir

BASE_DIR = Path(__file__).resolve().parent.parent.parent
SRC_DIR = BASE_DIR / "src"

env = environ.Env()
VAR_DIR = var_dir()


def _generated_secret(name: str) -> str:
    """Read a secret from ``var/<name>``, creating it on first run (never committed)."""
    path = VAR_DIR / name
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


DEBUG = env.bool("DEBUG", default=False)
# Secrets not given in the environment, hence generated per host under var/: refused once the
# database is shared or HTTPS is on (check gongchuang.E004 in gongchuang/common/site_checks.py).
GENERATED_SECRETS = [n for n in ("SECRET_KEY", "IDENTITY_HASH_KEY") if not env(n, default="")]
SECRET_KEY = env("SECRET_KEY", default=None) or _generated_secret("secret_key")
# Key of the keyed hash of national ID numbers; separate from SECRET_KEY so that
# rotating the session key does not break the one-work-per-student rule.
IDENTITY_HASH_KEY = env("IDENTITY_HASH_KEY", default=None) or _generated_secret("identity_key")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
CSRF_FAILURE_VIEW = "gongchuang.common.errorviews.csrf_failure"  # a Chinese page, not Django's
# Shown on the error pages ("need help?"), e.g. "组委会办公室 010-12345678"; empty: not shown.
HELP_CONTACT = env("HELP_CONTACT", default="")
# The public address in every absolute link (certificate QR codes, e-mails, feeds, sitemap):
# gongchuang.common.site.absolute_url. Must be set in production (checks gongchuang.E001–E003).
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "rules.apps.AutodiscoverRulesConfig",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    "gongchuang.common",
    "gongchuang.accounts",
    "gongchuang.editions",
    "gongchuang.submissions",
    "gongchuang.screening",
    "gongchuang.judging",
    "gongchuang.finals",
    "gongchuang.publicity",
    "gongchuang.portal",
    "gongchuang.notifications",
    "gongchuang.reports",
    "gongchuang.api",
    "gongchuang.demo",  # last: imports the others, imported by none
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "gongchuang.common.middleware.LanguageMiddleware",  # never Accept-Language
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "gongchuang.accounts.middleware.StaffIdleTimeoutMiddleware",
    "gongchuang.accounts.middleware.TwoFactorRequiredMiddleware",
    "gongchuang.accounts.middleware.PasswordExpiredMiddleware",
    "gongchuang.accounts.middleware.MustChangePasswordMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "gongchuang.common.middleware.RequestContextMiddleware",
    "gongchuang.common.middleware.MethodNotAllowedPageMiddleware",  # Django has no handler405
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [SRC_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "gongchuang.common.context_processors.site",
                "gongchuang.editions.context_processors.current_edition",
                "gongchuang.notifications.context_processors.unread_count",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------
DATABASES = {
    "default": env.db_url(
        "DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'gongchuang.sqlite3'}"
    )
}
# A Unix-socket host is written percent-encoded in the URL
# (postgres://user@%2Frun%2Fpostgresql/db); django-environ leaves it encoded.
DATABASES["default"]["HOST"] = unquote(DATABASES["default"].get("HOST", ""))
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Django's backend plus a kernel-queued writer lock (gongchuang/common/db/sqlite/base.py).
    DATABASES["default"]["ENGINE"] = "gongchuang.common.db.sqlite"
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets readers proceed while one writer commits; IMMEDIATE takes the
        # write lock at BEGIN so concurrent writers queue (busy_timeout) instead
        # of failing with "database is locked" halfway through a transaction.
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
            "PRAGMA busy_timeout=20000; PRAGMA foreign_keys=ON;"
        ),
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    # Keep each thread's connection: opening one (and running the PRAGMAs above) on every
    # request cost ~7% of a submission's server time. CONN_HEALTH_CHECKS drops a broken one.
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=600)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # Tests run in memory (pytest-django only infers that for Django's own ENGINE name).
    DATABASES["default"]["TEST"] = {"NAME": ":memory:"}
else:
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    DATABASES["default"].setdefault("OPTIONS", {})
    if env.bool("DATABASE_POOL", default=False):
        DATABASES["default"]["OPTIONS"]["pool"] = {"min_size": 2, "max_size": 10}
    else:
        DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
if env("TEST_DATABASE_NAME", default=""):
    DATABASES["default"]["TEST"] = {"NAME": env("TEST_DATABASE_NAME")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache ----------------------------------------------------------------
# "default" is shared by every process of an installation, so what one process changes
# (a publication's new portal generation, refreshed dashboard figures) the others see at
# once: Redis at scale, else a table of the database (created by `migrate`). "local" is
# each process's own memory, for copies keyed on a value read from "default" or the
# database (the portal's anonymous pages and fragments) and for a few seconds' edition.
REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "gongchuang_cache",
        }
    }
CACHES["local"] = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "gc"}

# --- Background tasks -----------------------------------------------------
# TASKS_BROKER=database (default): tasks wait in a table, run by `manage.py db_worker`;
# needs nothing else. TASKS_BROKER=redis: tasks wait in Redis (django-tasks-rq), run by
# `manage.py rqworker default --with-scheduler` (see docs/deploy.md). TASKS_BACKEND
# overrides the backend class outright (the test suite runs tasks immediately).
TASK_QUEUES = ["default"]  # every @task of the project uses the default queue
TASKS_BROKER = env("TASKS_BROKER", default="database")
_TASK_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "redis": "django_tasks_rq.RQBackend",
}
if TASKS_BROKER not in _TASK_BACKENDS:
    raise ImproperlyConfigured(f"TASKS_BROKER must be one of {sorted(_TASK_BACKENDS)}")
TASKS = {
    "default": {
        "BACKEND": env("TASKS_BACKEND", default=_TASK_BACKENDS[TASKS_BROKER]),
        "QUEUES": TASK_QUEUES,
    }
}
# Queues in Redis: TASKS_REDIS_URL, else REDIS_URL. A database number of its own is
# better than sharing the cache's, which cache.clear() empties (FLUSHDB).
TASKS_REDIS_URL = env("TASKS_REDIS_URL", default=REDIS_URL)
if TASKS_BROKER == "redis" or TASKS["default"]["BACKEND"] == _TASK_BACKENDS["redis"]:
    if not TASKS_REDIS_URL:
        raise ImproperlyConfigured("TASKS_BROKER=redis needs REDIS_URL or TASKS_REDIS_URL")
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]
RQ_QUEUES = {
    # Certificate batches and exports of a whole edition can take minutes: an hour's
    # timeout instead of RQ's 3 minutes.
    name: {"URL": TASKS_REDIS_URL, "DEFAULT_TIMEOUT": 3600}
    for name in TASK_QUEUES
}
RQ = {"JOB_CLASS": "django_tasks_rq.Job"}  # workers run Django tasks without --job-class
RQ_SHOW_ADMIN_LINK = False  # no RQ pages in the admin: `manage.py rqstats`, `rq info` instead

# --- Auth -----------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "gongchuang.accounts.backends.UsernameEmailMobileBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "gongchuang.accounts.passwords.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "gongchuang.accounts.passwords.LettersAndDigitsValidator"},
    {"NAME": "gongchuang.accounts.passwords.PasswordHistoryValidator"},
]
# Staff (not students or teachers) must change their password after this many days
# (等保 practice; ASVS deviation in docs/security.md). 0 turns it off. Nobody may
# reuse one of their last PASSWORD_HISTORY_COUNT passwords.
PASSWORD_MAX_AGE_DAYS = env.int("PASSWORD_MAX_AGE_DAYS", default=90)
PASSWORD_HISTORY_COUNT = env.int("PASSWORD_HISTORY_COUNT", default=5)
# Days an invitation link (a person whose account someone else created sets a password
# through it: accounts/onboarding) stays valid.
INVITATION_VALID_DAYS = env.int("INVITATION_VALID_DAYS", default=7)
PASSWORD_HASHERS = env.list(
    "PASSWORD_HASHERS",
    default=[
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
        "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    ],
)
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:dashboard"
LOGOUT_REDIRECT_URL = "portal:home"
# The login lockout (django-axes) and the rate limits: config/security.py.

SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=60 * 60 * 8)
STAFF_SESSION_IDLE_SECONDS = env.int("STAFF_SESSION_IDLE_SECONDS", default=30 * 60)
# How long each process keeps the current edition and its windows (editions.selectors).
CURRENT_EDITION_CACHE_SECONDS = env.float("CURRENT_EDITION_CACHE_SECONDS", default=2.0)
# How long each process keeps a signed-in person's row and roles (accounts.kept_users).
USER_CACHE_SECONDS = env.float("USER_CACHE_SECONDS", default=2.0)
OTP_TOTP_ISSUER = "共创平台"
SESSION_SAVE_EVERY_REQUEST = False

# --- I18n -----------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- Static and media -----------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
STATIC_ROOT.mkdir(exist_ok=True)
NODE_MODULES = BASE_DIR / "node_modules"
STATICFILES_DIRS = [
    SRC_DIR / "static",
    ("vendor/htmx", NODE_MODULES / "htmx.org" / "dist"),
    # The check-in desk's QR decoder (npm package jsqr; finals/static/finals/checkin.js).
    ("vendor/jsqr", NODE_MODULES / "jsqr" / "dist"),
]
MEDIA_ROOT = Path(env("MEDIA_ROOT", default=str(VAR_DIR / "media")))
# Uploads in which ClamAV found malware (common/files/malware.py); never served.
QUARANTINE_DIR = Path(env("QUARANTINE_DIR", default=str(VAR_DIR / "quarantine")))
MEDIA_URL = "/media/"  # never served directly: files go through permission-checked views
AWS_STORAGE_BUCKET_NAME = env("AWS_STORAGE_BUCKET_NAME", default="")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": env(
            "STATICFILES_STORAGE",
            default="whitenoise.storage.CompressedManifestStaticFilesStorage",
        )
    },
}
if AWS_STORAGE_BUCKET_NAME:
    STORAGES["default"] = {
        # django-storages' backend + copies inside the bucket (direct uploads).
        "BACKEND": "gongchuang.common.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": AWS_STORAGE_BUCKET_NAME,
            "endpoint_url": env("AWS_S3_ENDPOINT_URL", default=None),
            "region_name": env("AWS_S3_REGION_NAME", default=None),
            "addressing_style": env("AWS_S3_ADDRESSING_STYLE", default=None),  # virtual | path
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
# With S3 storage, big files go from the browser straight to the bucket
# (presigned POST; the bucket needs a CORS rule, docs/deploy.md): files over
# S3_DIRECT_UPLOAD_MIN_MB, and videos and ZIP archives always.
S3_DIRECT_UPLOADS = env.bool("S3_DIRECT_UPLOADS", default=bool(AWS_STORAGE_BUCKET_NAME))
S3_DIRECT_UPLOAD_MIN_BYTES = env.int("S3_DIRECT_UPLOAD_MIN_MB", default=20) * 1024 * 1024
S3_DIRECT_UPLOAD_EXPIRY = env.int("S3_DIRECT_UPLOAD_EXPIRY", default=15 * 60)  # seconds
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
# Django's temporary files of plain uploads (over FILE_UPLOAD_MAX_MEMORY_SIZE); an
# interrupted request leaves its file here until `manage.py purge_uploads` (hourly).
FILE_UPLOAD_TEMP_DIR = env("FILE_UPLOAD_TEMP_DIR", default=str(VAR_DIR / "tmp"))
Path(FILE_UPLOAD_TEMP_DIR).mkdir(parents=True, exist_ok=True)
# Unfinished resumable uploads without S3 (with S3 they are multipart uploads in the
# bucket); several app servers must share this directory (submissions/partials.py).
PARTIAL_UPLOAD_DIR = Path(env("PARTIAL_UPLOAD_DIR", default=str(VAR_DIR / "partial")))

# --- Email and SMS: config/messaging.py --------------------------------------
from .messaging import *  # noqa: E402, F403

# --- Security (HTTPS, cookies, HSTS, CSP, login lockout): config/security.py ------
from .security import *  # noqa: E402, F403

# --- Logging --------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="WARNING")},
}

# --- Gongchuang -----------------------------------------------------------
GONGCHUANG = {
    # Which edition ./scripts/serve makes current: "demo" (default) or a year.
    "CURRENT_EDITION": env("GONGCHUANG_CURRENT_EDITION", default="demo"),
    "AUDIT_RETENTION_DAYS": env.int("AUDIT_RETENTION_DAYS", default=365),
    "CONSENT_TEXT_VERSION": "2026-01",
}
SITE_NAME = _("Gongchuang")
BENCH_ENDPOINTS = env.bool("BENCH_ENDPOINTS", default=False)
