"""The one settings module. Everything that differs between machines comes from the environment."""

from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from podpora.settings_env import env, env_bool, env_int, networks, secret_key

PACKAGE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(env("PODPORA_DATA_DIR", str(Path.cwd() / "data"))).resolve()

DEBUG = env_bool("PODPORA_DEBUG", False)
# Unset: a random key generated once and kept in DATA_DIR/secret_key (see settings_env).
SECRET_KEY = secret_key(env("PODPORA_SECRET_KEY"), DATA_DIR, DEBUG)
# Earlier secret keys, comma-separated: sessions and stored secrets made with them still open.
SECRET_KEY_FALLBACKS = [k for k in env("PODPORA_SECRET_KEY_FALLBACKS").split(",") if k.strip()]
# Fernet keys for secrets at rest (core.crypto), comma-separated, the first encrypts; when empty,
# a key derived from SECRET_KEY (and SECRET_KEY_FALLBACKS) is used.
PODPORA_ENCRYPTION_KEY = [k.strip() for k in env("PODPORA_ENCRYPTION_KEY").split(",") if k.strip()]
ALLOWED_HOSTS = [
    h for h in env("PODPORA_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",") if h
]
CSRF_TRUSTED_ORIGINS = [o for o in env("PODPORA_CSRF_TRUSTED_ORIGINS").split(",") if o]
BASE_URL = env("PODPORA_BASE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_tasks",
    "django_tasks_db",
    "django_htmx",  # htmx's own JS as static files and request.htmx (no CDN: our CSP)
    "ninja",  # the API docs page with django-ninja's own Swagger UI files (no CDN: our CSP)
    "podpora.core",
    "podpora.accounts",
    "podpora.customers",
    "podpora.catalog",
    "podpora.sla",
    "podpora.tickets",
    "podpora.mail",
    "podpora.billing",
    "podpora.kb",
    "podpora.macros",
    "podpora.forum",
    "podpora.api",
    "podpora.portal",
    "podpora.satisfaction",
    "podpora.desk",
    "podpora.search",
    "podpora.vendoradmin",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "podpora.accounts.language.UserLanguageMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "podpora.accounts.twofactor.TwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "podpora.core.middleware.SecurityHeadersMiddleware",
    "podpora.core.unavailable.DatabaseUnavailableMiddleware",  # 503 when the database is down
]

ROOT_URLCONF = "podpora.urls"
WSGI_APPLICATION = "podpora.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    }
]

# SQLite by default, under the data directory; PostgreSQL (psycopg 3) through DATABASE_URL.
#: Every SQLite database, default or named by DATABASE_URL=sqlite:///...: WAL lets readers go
#: on while the worker writes; IMMEDIATE avoids "database is locked" when a read transaction
#: upgrades to a write; the timeout waits for the other writer instead of failing.
SQLITE_OPTIONS = {
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
}
if env("DATABASE_URL"):
    DATABASES = {"default": dj_database_url.parse(env("DATABASE_URL"), conn_max_age=60)}
else:
    DATABASES = {
        "default": {"ENGINE": "django.db.backends.sqlite3", "NAME": DATA_DIR / "podpora.sqlite3"}
    }
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {**SQLITE_OPTIONS, **DATABASES["default"].get("OPTIONS", {})}
# Reports (the support manager's figures) from a read replica, when there is one.
if env("PODPORA_REPLICA_DATABASE_URL"):
    DATABASES["replica"] = dj_database_url.parse(
        env("PODPORA_REPLICA_DATABASE_URL"), conn_max_age=60
    )
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["podpora.core.replica.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
if env_bool("PODPORA_FAST_HASHER"):  # tests only: argon2 on every log-in costs seconds per suite
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "cs"
LANGUAGES = [("cs", _("Čeština")), ("sk", _("Slovenčina")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
# each language's own way of writing dates (podpora/formats/<lang>/formats.py)
FORMAT_MODULE_PATH = ["podpora.formats"]
TIME_ZONE = "Europe/Prague"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
WHITENOISE_USE_FINDERS = True

STORAGE_DIR = Path(env("PODPORA_STORAGE_DIR", str(DATA_DIR / "blobs")))
# Stored files (attachments, raw e-mails, release files) in an S3-compatible bucket instead of
# STORAGE_DIR (django-storages: `pip install 'podpora[s3]'`); the same content-addressed keys.
# Credentials as boto3 reads them (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, or a role).
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
if env("PODPORA_S3_BUCKET"):
    STORAGES["blobs"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env("PODPORA_S3_BUCKET"),
            "endpoint_url": env("PODPORA_S3_ENDPOINT_URL") or None,
            "region_name": env("PODPORA_S3_REGION") or None,
            "location": env("PODPORA_S3_PREFIX", "blobs"),
            "file_overwrite": True,  # a key is its content's digest: the same bytes again
            "default_acl": None,
            "querystring_auth": True,
        },
    }
MAX_ATTACHMENT_BYTES = int(env("PODPORA_MAX_ATTACHMENT_BYTES", str(25 * 1024 * 1024)))
MAX_MESSAGE_BYTES = int(env("PODPORA_MAX_MESSAGE_BYTES", str(40 * 1024 * 1024)))

TASKS = {
    "default": {
        "BACKEND": env("PODPORA_TASK_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

EMAIL_BACKEND = env("PODPORA_EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env("PODPORA_SMTP_HOST", "127.0.0.1")
EMAIL_PORT = int(env("PODPORA_SMTP_PORT", "25"))
EMAIL_HOST_USER = env("PODPORA_SMTP_USER")
EMAIL_HOST_PASSWORD = env("PODPORA_SMTP_PASSWORD")
EMAIL_USE_TLS = env_bool("PODPORA_SMTP_STARTTLS")
EMAIL_TIMEOUT = 30
DEFAULT_FROM_EMAIL = env("PODPORA_FROM_EMAIL", "podpora@podpora.example")
MESSAGE_ID_DOMAIN = env("PODPORA_MESSAGE_ID_DOMAIN", "podpora.example")

# Inbound mail: the IMAP poller's CA bundle (empty: the system's) and socket timeout in
# seconds; the caps on automatic mail (acknowledgements, answers to unknown senders) per
# address an hour and a day, and per ticket in 10 minutes.
MAIL_IMAP_CAFILE = env("PODPORA_IMAP_CAFILE")
MAIL_IMAP_TIMEOUT = int(env("PODPORA_IMAP_TIMEOUT", "60"))
MAIL_AUTO_REPLIES_PER_HOUR = int(env("PODPORA_AUTO_REPLIES_PER_HOUR", "3"))
MAIL_AUTO_REPLIES_PER_DAY = int(env("PODPORA_AUTO_REPLIES_PER_DAY", "40"))
MAIL_AUTO_REPLIES_PER_TICKET = int(env("PODPORA_AUTO_REPLIES_PER_TICKET", "10"))

# The cache holds the rate limits (log-in failures, public forms, forum posts). In one process
# the default in-memory cache is enough; with several web processes they must share one, so
# set PODPORA_REDIS_URL (e.g. redis://127.0.0.1:6379/0).
if env("PODPORA_REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": env("PODPORA_REDIS_URL"),
            "KEY_PREFIX": "podpora",
        }
    }
    # Sessions read from the shared cache, written through to the database (a restart of
    # Redis logs nobody out).
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

# Staff log in in two steps (password, then a code from an authenticator app) when they turn it
# on; PODPORA_STAFF_2FA=1 makes it required of all staff.
PODPORA_STAFF_2FA = env_bool("PODPORA_STAFF_2FA")
OTP_TOTP_ISSUER = "Podpora"

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("PODPORA_SECURE_COOKIES")
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

# --- Production hardening: HTTPS, proxies -------------------------------------------------
# HTTPS only: redirect plain HTTP, and tell browsers (HSTS) for this many seconds.
SECURE_SSL_REDIRECT = env_bool("PODPORA_SSL_REDIRECT")
SECURE_HSTS_SECONDS = env_int("PODPORA_HSTS_SECONDS", 0)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # a local health probe speaks plain HTTP
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("PODPORA_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("PODPORA_HSTS_PRELOAD")
# Reverse proxies (addresses or networks, comma-separated) whose X-Forwarded-For names the
# client (core.clientip); X-Forwarded-Proto is believed only from them too.
PODPORA_TRUSTED_PROXIES = networks("PODPORA_TRUSTED_PROXIES")
if PODPORA_TRUSTED_PROXIES:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# --- end of production hardening -----------------------------------------------------------

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "kv": {"()": "podpora.core.logs.KeyValueFormatter"},
        "json": {"()": "podpora.core.logs.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": env("PODPORA_LOG_FORMAT", "plain")
            if env("PODPORA_LOG_FORMAT", "plain") in {"plain", "kv", "json"}
            else "plain",
        }
    },
    "root": {"handlers": ["console"], "level": env("PODPORA_LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # aiosmtpd (the LMTP listener) logs every command of every message at INFO.
        "mail.log": {"level": "WARNING"},
    },
}
PASSWORD_RESET_TIMEOUT = 3 * 24 * 3600  # a reset or invitation link works three days

# --- Production serving, metrics, task queue housekeeping (podpora serve, /metrics) ---
# Web processes `podpora serve` starts (gunicorn workers); --workers overrides.
WEB_WORKERS = int(env("PODPORA_WEB_WORKERS", "2") or 2)
# One log line per request (logger podpora.request): plain, kv (key=value) or json, through
# PODPORA_LOG_FORMAT above; PODPORA_REQUEST_LOG=0 turns the request lines off.
REQUEST_LOG = env_bool("PODPORA_REQUEST_LOG", True)
# /metrics answers requests from loopback, or with "Authorization: Bearer <token>" when set.
METRICS_TOKEN = env("PODPORA_METRICS_TOKEN")
# Seconds the figures read from the database (queue, SLA, e-mail) are reused between scrapes.
METRICS_DB_TTL = int(env("PODPORA_METRICS_DB_TTL", "15") or 15)
# Finished tasks are pruned by the scheduler's tasks.prune job after this many days.
TASKS_KEEP_DAYS = int(env("PODPORA_TASKS_KEEP_DAYS", "7") or 7)
TASKS_KEEP_FAILED_DAYS = int(env("PODPORA_TASKS_KEEP_FAILED_DAYS", "30") or 30)
MIDDLEWARE.insert(0, "podpora.core.metrics.RequestMetricsMiddleware")
