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
DATA_DIR = Path(env.str("DATA_DIR", default="data"))
if not DATA_DIR.is_absolute():
    DATA_DIR = BASE_DIR / DATA_DIR

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
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Background work (Celery) ---------------------------------------------------------------
# Unset: kombu's filesystem transport in DATA_DIR/broker (no service needed, shared by the web,
# worker and beat processes). Production: redis://HOST:6379/1 or amqp://USER:PASS@HOST:5672//.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="filesystem://localhost/")
BROKER_DIR = DATA_DIR / "broker"
# A publisher (a web request's after-commit kick, the relay) tries to connect twice, briefly,
# then gives up: the message waits in the outbox. Workers and beat keep their own patient
# reconnect loops (CELERY_BROKER_CONNECTION_RETRY).
BROKER_FAIL_FAST = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.5,
}
if CELERY_BROKER_URL.startswith("filesystem://"):
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(BROKER_DIR / "queue"),
        "data_folder_out": str(BROKER_DIR / "queue"),
        # Consumed messages are moved here (a rename on the same disk, so two consumers never
        # take the same file) and swept by `notifications.broker_sweep`.
        "processed_folder": str(BROKER_DIR / "processed"),
        "store_processed": True,
        "control_folder": str(BROKER_DIR / "control"),
    }
else:
    # Redis: a message not acknowledged within this many seconds goes back to the queue. We
    # use no ETAs, so it only has to exceed the longest task.
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600, **BROKER_FAIL_FAST}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_CONNECTION_TIMEOUT = env.float("CELERY_BROKER_CONNECTION_TIMEOUT", default=4.0)
# Publishing gives up quickly: the outbox keeps every message, so a broker outage costs a
# delay, never a message, and a web request never hangs on the broker.
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 2,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.5,
}
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_IGNORE_RESULT = True
CELERY_RESULT_BACKEND = None
CELERY_TIMEZONE = "UTC"
CELERY_ENABLE_UTC = True
# Every task is idempotent (it takes ids, re-reads the database and checks state), so a message
# is acknowledged only after its task ran: a worker that dies mid-task leaves it to another.
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=300)
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=240)
CELERY_TASK_DEFAULT_QUEUE = "tessera"
CELERY_WORKER_HIJACK_ROOT_LOGGER = False  # Django's LOGGING (plain or JSON) applies to workers
CELERY_WORKER_SEND_TASK_EVENTS = False
CELERY_BEAT_SCHEDULE_FILENAME = str(DATA_DIR / "celerybeat-schedule")
# Beat only polls: due times live in the database. Each tick expires before the next one, so
# ticks never pile up while the workers are away.
OUTBOX_POLL_SECONDS = env.float("OUTBOX_POLL_SECONDS", default=2.0)
DELIVERY_POLL_SECONDS = env.float("DELIVERY_POLL_SECONDS", default=10.0)
# Bookings' due times (deadlines, starts, ends, reminders) are polled this often.
TIMED_POLL_SECONDS = env.float("TIMED_POLL_SECONDS", default=30.0)
CELERY_BEAT_SCHEDULE = {
    "outbox-relay": {
        "task": "notifications.outbox_relay",
        "schedule": OUTBOX_POLL_SECONDS,
        "options": {"expires": OUTBOX_POLL_SECONDS * 2},
    },
    "deliveries-send": {
        "task": "notifications.deliveries_send",
        "schedule": DELIVERY_POLL_SECONDS,
        "options": {"expires": DELIVERY_POLL_SECONDS * 2},
    },
    "bookings-advance": {
        "task": "bookings.advance_due",
        "schedule": TIMED_POLL_SECONDS,
        "options": {"expires": TIMED_POLL_SECONDS * 2},
    },
    "bookings-remind": {
        "task": "bookings.remind_due",
        "schedule": TIMED_POLL_SECONDS,
        "options": {"expires": TIMED_POLL_SECONDS * 2},
    },
    "events-purge-holds": {
        "task": "events.purge_expired_holds",
        "schedule": 300.0,
        "options": {"expires": 150},
    },
    "broker-sweep": {
        "task": "notifications.broker_sweep",
        "schedule": 3600.0,
        "options": {"expires": 1800},
    },
}

# --- Email ----------------------------------------------------------------------------------
# Unset: every email is written as a file into DATA_DIR/mail (read them there). Production:
# smtp, with the EMAIL_HOST* settings; "console" prints them.
_EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="file")
_EMAIL_OPTIONS: dict[str, object] = {
    "file": {"file_path": str(DATA_DIR / "mail")},
    "console": {},
    "locmem": {},
    "smtp": {
        "host": env.str("EMAIL_HOST", default="localhost"),
        "port": env.int("EMAIL_PORT", default=587),
        "username": env.str("EMAIL_HOST_USER", default=""),
        "password": env.str("EMAIL_HOST_PASSWORD", default=""),
        "use_tls": env.bool("EMAIL_USE_TLS", default=True),
        "use_ssl": env.bool("EMAIL_USE_SSL", default=False),
        "timeout": env.int("EMAIL_TIMEOUT", default=10),
    },
}
if _EMAIL_BACKEND not in _EMAIL_OPTIONS:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("EMAIL_BACKEND must be file, console, smtp or locmem.")
MAILERS = {
    "default": {
        "BACKEND": "django.core.mail.backends.%s.EmailBackend"
        % ("filebased" if _EMAIL_BACKEND == "file" else _EMAIL_BACKEND),
        "OPTIONS": _EMAIL_OPTIONS[_EMAIL_BACKEND],
    }
}
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Tessera <bookings@tessera.local>")

# --- Notifications, outbox and webhooks -------------------------------------------------------
NOTIFICATIONS = {
    # Messages the relay hands to the broker per run, and deliveries sent per run.
    "OUTBOX_BATCH_SIZE": env.int("OUTBOX_BATCH_SIZE", default=500),
    "DELIVERY_BATCH_SIZE": env.int("DELIVERY_BATCH_SIZE", default=100),
    # A message handed to the broker but not handled within this many seconds is handed over
    # again (the broker lost it, or its worker died): at least once, whatever the broker does.
    "REQUEUE_AFTER_SECONDS": env.int("OUTBOX_REQUEUE_AFTER_SECONDS", default=300),
    # Retries with exponential backoff (base * 2^(attempt-1), capped), then the dead letters.
    "MAX_ATTEMPTS": env.int("NOTIFY_MAX_ATTEMPTS", default=8),
    "BACKOFF_BASE_SECONDS": env.int("NOTIFY_BACKOFF_BASE_SECONDS", default=30),
    "BACKOFF_MAX_SECONDS": env.int("NOTIFY_BACKOFF_MAX_SECONDS", default=6 * 3600),
    # Text messages: "console" (written to the log) or "twilio" (any Twilio-compatible API).
    "SMS_PROVIDER": env.str("SMS_PROVIDER", default="console"),
    "WHATSAPP_PROVIDER": env.str("WHATSAPP_PROVIDER", default="console"),
    "TWILIO_BASE_URL": env.str("TWILIO_BASE_URL", default="https://api.twilio.com"),
    "TWILIO_ACCOUNT_SID": env.str("TWILIO_ACCOUNT_SID", default=""),
    "TWILIO_AUTH_TOKEN": env.str("TWILIO_AUTH_TOKEN", default=""),
    "SMS_FROM": env.str("SMS_FROM", default=""),
    "WHATSAPP_FROM": env.str("WHATSAPP_FROM", default=""),
    "HTTP_TIMEOUT_SECONDS": env.float("NOTIFY_HTTP_TIMEOUT_SECONDS", default=10.0),
    # Webhook receivers should refuse a signature older than this many seconds.
    "WEBHOOK_TOLERANCE_SECONDS": env.int("WEBHOOK_TOLERANCE_SECONDS", default=300),
    # Languages that have templates; a user's preference picks one, else LANGUAGE_CODE.
    "LANGUAGES": ["en", "es"],
    # Calendar files name the organiser with this address and their UIDs with this domain.
    "ICS_DOMAIN": env.str("ICS_DOMAIN", default="tessera.local"),
}

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
    # WAITLIST_CONFIRM_HOURS (at most until its start) for its owner to confirm it.
    "WAITLIST_PROMOTE_TO": env.str("TESSERA_WAITLIST_PROMOTE_TO", default="confirmed"),
    "WAITLIST_CONFIRM_HOURS": env.int("TESSERA_WAITLIST_CONFIRM_HOURS", default=12),
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
