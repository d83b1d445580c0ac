"""Tessera settings, read only from the environment (and `.env` for local use).

Every variable is listed with a comment in `.env.example`. With no `DATABASE_URL`
the service runs on SQLite in `DATA_DIR`; with `DEBUG` off (the default) the
production transport settings (HTTPS redirect, HSTS, secure cookies) are on.
"""

import os
from datetime import timedelta
from pathlib import Path

from .environment import BASE_DIR, DATA_DIR, ENV_FILE, env, legacy_database_url  # noqa: F401

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env.str("SECRET_KEY", default="" if not DEBUG else "insecure-local-development-key")
if not SECRET_KEY:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off (see .env.example).")

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

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
    "tessera.notifications",
    "tessera.analytics",
    "tessera.walkins",
    "tessera.retention",
    "tessera.imports",
    "tessera.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "tessera.api.middleware.ApiProblemMiddleware",
    "tessera.api.slash.ApiOptionalSlashMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Pages speak the visitor's language (session/cookie from the switch, else Accept-Language).
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Turns a rate-limited page POST into RATELIMIT_VIEW's 429 page.
    "django_ratelimit.middleware.RatelimitMiddleware",
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
                "django.template.context_processors.i18n",
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
# DATABASE_URL wins; else the old platform's DB_NAME/DB_USER/DB_PASSWORD/DB_HOST/DB_PORT.
SQLITE_PATH = DATA_DIR / "tessera.sqlite3"
DATABASES = {
    "default": env.db_url(
        "DATABASE_URL",
        default=(None if "DATABASE_URL" in os.environ else legacy_database_url())
        or f"sqlite:///{SQLITE_PATH}",
    )
}
_db = DATABASES["default"]
if _db["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite creates the file but not its folder: a fresh clone's first `migrate` needs it.
    Path(_db["NAME"]).parent.mkdir(parents=True, exist_ok=True)
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
    # A Redis that does not answer costs a request at most this long per call (rate limits
    # then count in process memory, see tessera/api/throttling.py), never a hung worker.
    _redis_timeout = env.float("REDIS_SOCKET_TIMEOUT", default=1.0)
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {
                "socket_connect_timeout": _redis_timeout,
                "socket_timeout": _redis_timeout,
            },
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Background work, email, notifications: see background.py ------------------------------
from .background import *  # noqa: E402,F403
from .background import CELERY_BEAT_SCHEDULE  # noqa: E402

# --- Auth -----------------------------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Internationalisation and time ------------------------------------------------------------
LANGUAGE_CODE = "en"
# The languages of the pages (and of the notification templates). The Spanish catalogue of the
# pages is tessera/web/locale/es (the .mo is committed; scripts/messages.sh rebuilds it).
LANGUAGES = [("en", "English"), ("es", "Español")]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# --- Static files -----------------------------------------------------------------------------
STATIC_URL = "static/"
# A container image collects them at build time, outside the data volume (STATIC_ROOT).
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(DATA_DIR / "static")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # WhiteNoise's hashed, compressed files; a missing one is a 404 link, never a 500 page.
    "staticfiles": {"BACKEND": "tessera.core.staticfiles.ForgivingManifestStaticFilesStorage"},
}

# --- Pages (tessera.web; see docs/web.md) ---------------------------------------------------
LOGIN_URL = "web:sign-in"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "web:home"
# Per client address, on the POSTs of the account pages (django-ratelimit, on the cache).
WEB_RATE_LIMITS = {
    "sign_in": env.str("WEB_RATE_SIGN_IN", default="10/m"),
    "sign_up": env.str("WEB_RATE_SIGN_UP", default="5/h"),
    "password_reset": env.str("WEB_RATE_PASSWORD_RESET", default="5/h"),
    # Guest booking (POST) and every request to a signed link (confirm, view, cancel, move).
    "guest_booking": env.str("WEB_RATE_GUEST_BOOKING", default="10/h"),
    "signed_links": env.str("WEB_RATE_SIGNED_LINKS", default="30/m"),
}
# Booking without an account: the booking is held this long for its email to be confirmed.
WEB_GUEST_CONFIRM_MINUTES = env.int("WEB_GUEST_CONFIRM_MINUTES", default=30)
# The view / cancel / reschedule links in booking emails work this many days after sending.
WEB_MANAGE_LINK_DAYS = env.int("WEB_MANAGE_LINK_DAYS", default=30)
# The address people reach the pages at, for links in emails.
WEB_PUBLIC_URL = env.str("WEB_PUBLIC_URL", default="http://localhost:8000")
RATELIMIT_VIEW = "tessera.web.views.account.rate_limited"

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
    # Anonymous reads (GET, HEAD, OPTIONS) per client address; views with their own throttles
    # (registration, tokens) use those instead.
    "DEFAULT_THROTTLE_CLASSES": ["tessera.api.throttles.AnonReadThrottle"],
    "DEFAULT_THROTTLE_RATES": {
        "register": env.str("THROTTLE_REGISTER", default="20/hour"),
        "auth": env.str("THROTTLE_AUTH", default="60/min"),
        "anon_read": env.str("THROTTLE_ANON_READ", default="120/min"),
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
    # Rotation is one conditional update of the token's family (tessera/accounts/tokens.py):
    # a refresh token works once; reusing it revokes its family. Blacklisting stays for sign-out.
    "ROTATE_REFRESH_TOKENS": True,
    "BLACKLIST_AFTER_ROTATION": False,
    # Tokens carry a digest of the password hash: a password change revokes them all.
    "CHECK_REVOKE_TOKEN": True,
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
        "RoleEnum": "tessera.accounts.roles.ROLE_CHOICES",
        "OutboxStatusEnum": "tessera.notifications.models.outbox.OutboxStatus",
        "DeliveryStatusEnum": "tessera.notifications.models.base.DeliveryStatus",
        "ChannelEnum": "tessera.notifications.models.notifications.Channel",
        "ResourceKindEnum": "tessera.scheduling.models.ResourceKind",
        "BookingKindEnum": "tessera.bookings.models.BookingKind",
        "BookingStatusEnum": "tessera.bookings.models.BookingStatus",
    },
    "SCHEMA_PATH_PREFIX": r"/api/",
}

# --- Production transport security ("secure data transfer") --------------------------------
# On unless DEBUG is on; each can still be switched off behind a TLS-terminating proxy.
SECURE_DATA_TRANSFER = env.bool("SECURE_DATA_TRANSFER", default=not DEBUG)
if env.bool("BEHIND_TLS_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = SECURE_DATA_TRANSFER
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$", r"^metrics$"]
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
# LOG_FORMAT=json writes one JSON object per line (for log shippers); plain is for people.
LOG_LEVEL = env.str("LOG_LEVEL", default="INFO")
LOG_FORMAT = env.str("LOG_FORMAT", default="plain")


def _log_level(value: str) -> str | int:
    return int(value) if value.isdigit() else value.upper()


LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {"()": "tessera.core.logging.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json" if LOG_FORMAT == "json" else "plain",
        }
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        # Django logs every 4xx answer as a warning: a lost race (409) or a typo (400) is the
        # client's business and gets a problem document; server errors stay at ERROR.
        "django.request": {"level": "ERROR"},
        # Celery logs every task at INFO (a line per beat tick): warnings and errors only.
        # Celery itself exports CELERY_LOG_LEVEL as a number ("40") when a worker starts.
        "celery": {"level": _log_level(env.str("CELERY_LOG_LEVEL", default="WARNING"))},
    },
}

# --- Monitoring -----------------------------------------------------------------------------
# Errors and traces go to Sentry (Django and Celery integrations) when SENTRY_DSN is set.
SENTRY_DSN = env.str("SENTRY_DSN", default="")
if SENTRY_DSN:
    from config.sentry import init_sentry

    init_sentry(
        dsn=SENTRY_DSN,
        environment=env.str("SENTRY_ENVIRONMENT", default="production"),
        release=env.str("SENTRY_RELEASE", default=None),
        traces_sample_rate=env.float("SENTRY_TRACES_SAMPLE_RATE", default=0.0),
    )

# --- Tessera --------------------------------------------------------------------------------
TESSERA = {
    "DEFAULT_ROLE": "customer",
    # Booking rules a resource leaves empty fall back to these.
    "DEFAULT_BOOKING_MINUTES": env.int("TESSERA_DEFAULT_BOOKING_MINUTES", default=60),
    "DEFAULT_MAX_ADVANCE_DAYS": env.int("TESSERA_DEFAULT_MAX_ADVANCE_DAYS", default=365),
    # The longest single booking of time, and the widest window one availability request spans.
    "MAX_BOOKING_DAYS": env.int("TESSERA_MAX_BOOKING_DAYS", default=31),
    "MAX_AVAILABILITY_DAYS": env.int("TESSERA_MAX_AVAILABILITY_DAYS", default=62),
    # The most slots one availability answer lists (more: 400 too_many_slots), and how long an
    # answer is kept in the shared cache (0: not cached; a change of the resource retires it).
    "MAX_AVAILABILITY_SLOTS": env.int("TESSERA_MAX_AVAILABILITY_SLOTS", default=2000),
    "AVAILABILITY_CACHE_SECONDS": env.int("TESSERA_AVAILABILITY_CACHE_SECONDS", default=60),
    # A booking that needs approval lapses (-> expired) if not confirmed within this time.
    "PENDING_APPROVAL_HOURS": env.int("TESSERA_PENDING_APPROVAL_HOURS", default=48),
    # How long the first result of a request with an Idempotency-Key is replayed.
    "IDEMPOTENCY_TTL_HOURS": env.int("TESSERA_IDEMPOTENCY_TTL_HOURS", default=24),
    # Time-driven transitions (docs/booking-automation.md): rows per batch transaction, and
    # batches per beat tick (the rest waits for the next tick).
    "TIMED_BATCH_SIZE": env.int("TESSERA_TIMED_BATCH_SIZE", default=500),
    "TIMED_MAX_BATCHES": env.int("TESSERA_TIMED_MAX_BATCHES", default=20),
    # A confirmed booking's reminder goes out this many hours before its start (0: none).
    "REMINDER_HOURS": env.int("TESSERA_REMINDER_HOURS", default=24),
    # A waitlisted booking a place freed for becomes "confirmed" at once, or "pending" with
    # WAITLIST_CONFIRM_HOURS (at most until its start): an offer its customer accepts.
    "WAITLIST_PROMOTE_TO": env.str("TESSERA_WAITLIST_PROMOTE_TO", default="confirmed"),
    "WAITLIST_CONFIRM_HOURS": env.int("TESSERA_WAITLIST_CONFIRM_HOURS", default=12),
    # A provider may mark a booking the background job completed as no-show until this many
    # hours after its end (0: only before it is completed).
    "NO_SHOW_WINDOW_HOURS": env.int("TESSERA_NO_SHOW_WINDOW_HOURS", default=72),
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
    # A web process answers reads of a seat map from the map it rendered at most this many
    # seconds ago (0: render every read). Bookings always check the seats under the show's lock.
    "SEAT_MAP_MAX_AGE_SECONDS": env.float("EVENTS_SEAT_MAP_MAX_AGE_SECONDS", default=1.0),
}

# Walk-in queues (tessera.walkins; see docs/walkins.md).
TESSERA_WALKINS = {
    # The service time a wait estimate assumes while a resource has no completed bookings.
    "DEFAULT_SERVICE_MINUTES": env.int("WALKINS_DEFAULT_SERVICE_MINUTES", default=20),
}

# Data retention (tessera.retention; see docs/data-retention.md). The name is the one the old
# Bookings_Handler used. Finished bookings (completed, cancelled, declined, expired, no-show)
# that ended more than AFTER_DAYS ago are archived, anonymised or deleted by the daily job
# `retention.apply`; "none" turns the job off. Live bookings are never touched.
DATA_RETENTION_POLICY = {
    "AFTER_DAYS": env.int("DATA_RETENTION_AFTER_DAYS", default=730),
    "ACTION": env.str("DATA_RETENTION_ACTION", default="archive"),
    "BATCH_SIZE": env.int("DATA_RETENTION_BATCH_SIZE", default=500),
}
CELERY_BEAT_SCHEDULE["retention-apply"] = {
    "task": "retention.apply",
    "schedule": 86_400.0,
    "options": {"expires": 43_200},
}
