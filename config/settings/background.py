"""Settings of the background work: Celery (broker, tasks, beat schedule), email, and the
outbox/notification/webhook pipeline. Part of `base.py`, split out to keep each module to one idea.
"""

from .environment import DATA_DIR, env

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
    "notifications-purge": {
        "task": "notifications.purge_finished",
        "schedule": 86_400.0,
        "options": {"expires": 3600},
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
    # A change asks a worker to relay its message at once ("kick"); kicks from one process
    # closer together than this are sent as one at the end of the interval.
    "KICK_INTERVAL_SECONDS": env.float("OUTBOX_KICK_INTERVAL_SECONDS", default=0.2),
    # Finished outbox messages, notifications (addresses, texts) and webhook deliveries are
    # deleted this many days after they were written (daily job; 0 keeps them forever).
    "KEEP_DAYS": env.int("NOTIFY_KEEP_DAYS", default=90),
    # A message handed to the broker but not handled within this many seconds is handed over
    # again (the broker lost it, or its worker died): at least once, whatever the broker does.
    "REQUEUE_AFTER_SECONDS": env.int("OUTBOX_REQUEUE_AFTER_SECONDS", default=300),
    # A sender claims a notification or webhook delivery for this long; one that dies
    # mid-batch leaves its rows to come back after it (see docs/notifications.md).
    "SEND_LEASE_SECONDS": env.int("NOTIFY_SEND_LEASE_SECONDS", default=300),
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
    # Extra template variables per message to a booking's customer (the web's signed manage
    # links): a dotted path to `links(*, event_type, event, recipient_id) -> dict`, or "".
    "LINKS": "tessera.web.notification_links.notification_links",
    # Webhook receivers should refuse a signature older than this many seconds.
    "WEBHOOK_TOLERANCE_SECONDS": env.int("WEBHOOK_TOLERANCE_SECONDS", default=300),
    # Languages that have templates; a user's preference picks one, else LANGUAGE_CODE.
    "LANGUAGES": ["en", "es"],
    # Calendar files name the organiser with this address and their UIDs with this domain.
    "ICS_DOMAIN": env.str("ICS_DOMAIN", default="tessera.local"),
}
