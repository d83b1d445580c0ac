"""Tessera settings, read only from the environment (and `.env` for local use).

Every variable is listed with a comment in `.env.example`. With no `DATABASE_URL`
the service runs on SQLite in `DATA_DIR`; with `DEBUG` off (the default) the
production transport settings (HTTPS redirect, HSTS, secure cookies) are on.
"""

import os
from datetime import timedelta
from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
ENV_FILE = env.str("TESSERA_ENV_FILE", default=str(BASE_DIR / ".env"))
if Path(ENV_FILE).is_file():
    environ.Env.read_env(ENV_FILE, overwrite=False)
# An empty value (`DATABASE_URL=` in .env) means "use the default", as if it were not set.
for _name in [name for name, value in os.environ.items() if value == ""]:
    del os.environ[_name]

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env.str("SECRET_KEY", default="" if not DEBUG else "insecure-local-development-key")
if not SECRET_KEY:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off (see .env.example).")

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
DATA_DIR = Path(env.str("DATA_DIR", default=str(BASE_DIR / "data")))

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework_simplejwt.token_blacklist",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "tessera.core",
    "tessera.api",
    "tessera.accounts",
    "tessera.scheduling",
    "tessera.bookings",
    "tessera.events",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "tessera.api.middleware.ApiProblemMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
AUTH_USER_MODEL = "accounts.User"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
# SQLite (the embedded default) is tuned for concurrent writers: WAL journal, write
# transactions that take the lock at BEGIN (so two writers never deadlock upgrading a read
# lock), and a busy timeout instead of an immediate "database is locked".
SQLITE_PATH = DATA_DIR / "tessera.sqlite3"
DATABASES = {
    "default": env.db_url(
        "DATABASE_URL",
        default=f"sqlite:///{SQLITE_PATH}",
    )
}
_db = DATABASES["default"]
if _db["ENGINE"] == "django.db.backends.sqlite3":
    _db["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": env.int("SQLITE_BUSY_TIMEOUT", default=20),
        "init_command": (
            "PRAGMA journal_mode=WAL;"
            "PRAGMA synchronous=NORMAL;"
            "PRAGMA foreign_keys=ON;"
            f"PRAGMA busy_timeout={env.int('SQLITE_BUSY_TIMEOUT', default=20) * 1000};"
        ),
    }
else:
    _db["ENGINE"] = "django.db.backends.postgresql"
    if env.bool("DB_POOL", default=False):
        # psycopg's connection pool, one per process; CONN_MAX_AGE must then stay 0.
        _db["CONN_MAX_AGE"] = 0
        _db.setdefault("OPTIONS", {})["pool"] = {
            "min_size": env.int("DB_POOL_MIN_SIZE", default=2),
            "max_size": env.int("DB_POOL_MAX_SIZE", default=10),
            "timeout": env.int("DB_POOL_TIMEOUT", default=10),
        }
    else:
        _db["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
        _db["CONN_HEALTH_CHECKS"] = True
    _db.setdefault("OPTIONS", {}).setdefault("connect_timeout", env.int("DB_CONNECT_TIMEOUT", 5))
    # A row lock not had within this time fails the statement; the API answers 409 lock_timeout
    # with Retry-After instead of letting a request hang behind another.
    _db["OPTIONS"].setdefault(
        "options", f"-c lock_timeout={env.int('DB_LOCK_TIMEOUT_MS', default=5000)}"
    )
    _db.setdefault("TEST", {})["NAME"] = env.str("TEST_DATABASE_NAME", default=None)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache ----------------------------------------------------------------------------------
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Auth -----------------------------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Internationalisation and time ------------------------------------------------------------
LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# --- Static files -----------------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# --- Request limits -------------------------------------------------------------------------
DATA_UPLOAD_MAX_MEMORY_SIZE = env.int("MAX_REQUEST_BODY_BYTES", default=1_048_576)
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000

# --- REST framework -------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "tessera.accounts.authentication.JWTAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PARSER_CLASSES": ["tessera.api.parsers.JSONParser"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "tessera.api.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "tessera.api.schema.AutoSchema",
    "EXCEPTION_HANDLER": "tessera.api.exceptions.problem_exception_handler",
    "DEFAULT_THROTTLE_RATES": {
        "register": env.str("THROTTLE_REGISTER", default="20/hour"),
        "auth": env.str("THROTTLE_AUTH", default="60/min"),
    },
    "NUM_PROXIES": env.int("NUM_PROXIES", default=0),
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
if DEBUG:
    REST_FRAMEWORK["DEFAULT_RENDERER_CLASSES"].append(
        "rest_framework.renderers.BrowsableAPIRenderer"
    )

SIMPLE_JWT = {
    "ACCESS_TOKEN_LIFETIME": timedelta(minutes=env.int("JWT_ACCESS_MINUTES", default=15)),
    "REFRESH_TOKEN_LIFETIME": timedelta(days=env.int("JWT_REFRESH_DAYS", default=7)),
    "ROTATE_REFRESH_TOKENS": True,
    "BLACKLIST_AFTER_ROTATION": True,
    "UPDATE_LAST_LOGIN": True,
    "ALGORITHM": "HS256",
    "SIGNING_KEY": env.str("JWT_SIGNING_KEY", default=SECRET_KEY),
    "AUTH_HEADER_TYPES": ("Bearer",),
}

# Tokens signed by an external auth service (optional). Give either its PEM public key or
# its JWKS URL; the claim named by EXTERNAL_JWT_USERNAME_CLAIM maps the token to a user.
EXTERNAL_JWT = {
    "PUBLIC_KEY": env.str("EXTERNAL_JWT_PUBLIC_KEY", default="").replace("\\n", "\n"),
    "JWKS_URL": env.str("EXTERNAL_JWT_JWKS_URL", default=""),
    "ALGORITHMS": env.list("EXTERNAL_JWT_ALGORITHMS", default=["RS256", "ES256"]),
    "ISSUER": env.str("EXTERNAL_JWT_ISSUER", default=""),
    "AUDIENCE": env.str("EXTERNAL_JWT_AUDIENCE", default=""),
    "USERNAME_CLAIM": env.str("EXTERNAL_JWT_USERNAME_CLAIM", default="preferred_username"),
    "EMAIL_CLAIM": env.str("EXTERNAL_JWT_EMAIL_CLAIM", default="email"),
    "CREATE_USERS": env.bool("EXTERNAL_JWT_CREATE_USERS", default=True),
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Tessera API",
    "DESCRIPTION": (
        "One booking platform: appointments, resources with a capacity, gigs, general "
        "admission and reserved seating. Every error is an RFC 9457 problem document with a "
        "stable `code` (see docs/api-errors.md)."
    ),
    "VERSION": "0.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "RoleEnum": ["customer", "provider", "organizer", "staff"],
        "ResourceKindEnum": "tessera.scheduling.models.ResourceKind",
        "BookingKindEnum": "tessera.bookings.models.BookingKind",
        "BookingStatusEnum": "tessera.bookings.models.BookingStatus",
    },
    "SCHEMA_PATH_PREFIX": r"/api/",
    "SECURITY": [{"jwtAuth": []}],
}

# --- Production transport security ("secure data transfer") --------------------------------
# On unless DEBUG is on; each can still be switched off behind a TLS-terminating proxy.
SECURE_DATA_TRANSFER = env.bool("SECURE_DATA_TRANSFER", default=not DEBUG)
if env.bool("BEHIND_TLS_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = SECURE_DATA_TRANSFER
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
SECURE_HSTS_SECONDS = (
    env.int("SECURE_HSTS_SECONDS", default=31_536_000) if SECURE_DATA_TRANSFER else 0
)
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_DATA_TRANSFER
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
SESSION_COOKIE_SECURE = SECURE_DATA_TRANSFER
CSRF_COOKIE_SECURE = SECURE_DATA_TRANSFER
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# --- Logging --------------------------------------------------------------------------------
LOG_LEVEL = env.str("LOG_LEVEL", default="INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}

# --- Tessera --------------------------------------------------------------------------------
TESSERA = {
    "DEFAULT_ROLE": "customer",
    # Booking rules a resource leaves empty fall back to these.
    "DEFAULT_BOOKING_MINUTES": env.int("TESSERA_DEFAULT_BOOKING_MINUTES", default=60),
    "DEFAULT_MAX_ADVANCE_DAYS": env.int("TESSERA_DEFAULT_MAX_ADVANCE_DAYS", default=365),
    # The longest single booking of time, and the widest window one availability request spans.
    "MAX_BOOKING_DAYS": env.int("TESSERA_MAX_BOOKING_DAYS", default=31),
    "MAX_AVAILABILITY_DAYS": env.int("TESSERA_MAX_AVAILABILITY_DAYS", default=62),
    # A booking that needs approval lapses (-> expired) if not confirmed within this time.
    "PENDING_APPROVAL_HOURS": env.int("TESSERA_PENDING_APPROVAL_HOURS", default=48),
    # How long the first result of a request with an Idempotency-Key is replayed.
    "IDEMPOTENCY_TTL_HOURS": env.int("TESSERA_IDEMPOTENCY_TTL_HOURS", default=24),
}

# Venues, shows, holds and ticket bookings (tessera.events; see docs/events.md).
TESSERA_EVENTS = {
    "HOLD_TTL_SECONDS": env.int("EVENTS_HOLD_TTL_SECONDS", default=600),
    "HOLD_MAX_ITEMS": env.int("EVENTS_HOLD_MAX_ITEMS", default=10),
    "HOLD_MAX_ITEMS_PER_CUSTOMER": env.int("EVENTS_HOLD_MAX_ITEMS_PER_CUSTOMER", default=20),
    "BOOKING_MAX_ITEMS": env.int("EVENTS_BOOKING_MAX_ITEMS", default=10),
    "MAX_SEATS_PER_HALL": env.int("EVENTS_MAX_SEATS_PER_HALL", default=10_000),
    "DEFAULT_SHOW_MINUTES": env.int("EVENTS_DEFAULT_SHOW_MINUTES", default=120),
    "DEFAULT_CURRENCY": env.str("EVENTS_DEFAULT_CURRENCY", default="EUR"),
}
