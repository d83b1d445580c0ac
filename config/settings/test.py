"""Settings for the test suite: the base settings with a fast hasher and no disk state."""

import os
import tempfile

os.environ.setdefault("SECRET_KEY", "test-secret-key-not-for-production-use-0123456789")
os.environ.setdefault("SECURE_DATA_TRANSFER", "false")
os.environ.setdefault("TESSERA_ENV_FILE", "/nonexistent")  # tests never read a developer's .env

from .base import *  # noqa: F403
from .base import MIDDLEWARE, REST_FRAMEWORK

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
REST_FRAMEWORK = {
    **REST_FRAMEWORK,
    "DEFAULT_THROTTLE_RATES": {
        "register": "1000/min",
        "auth": "1000/min",
        "anon_read": "100000/min",
    },
}
WEB_RATE_LIMITS = {
    "sign_in": "1000/m",
    "sign_up": "1000/m",
    "password_reset": "1000/m",
    "guest_booking": "1000/m",
    "signed_links": "1000/m",
}
# Static files are not collected for tests; WhiteNoise would warn on every request.
MIDDLEWARE = [m for m in MIDDLEWARE if not m.startswith("whitenoise.")]

# Tests never reach a real broker unless a test points Celery at one itself (the broker-down
# test starts its own Redis); kicks after commit go to kombu's in-process memory transport.
CELERY_BROKER_URL = "memory://"
CELERY_BROKER_TRANSPORT_OPTIONS = dict(BROKER_FAIL_FAST)  # noqa: F405
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
# Every kick is sent at once (no timer threads outliving a test); the coalescing has its own test.
NOTIFICATIONS = {**NOTIFICATIONS, "KICK_INTERVAL_SECONDS": 0}  # noqa: F405
# Every read of a seat map renders it (tests book, then read); the reuse has its own test.
TESSERA_EVENTS = {**TESSERA_EVENTS, "SEAT_MAP_MAX_AGE_SECONDS": 0}  # noqa: F405

# Management commands run under these settings (makemigrations --check, spectacular) need no
# data folder: the first JSONField makes Django's system checks open the SQLite database.
# The test database itself is a file (one per test run), not SQLite's shared in-memory
# database: shared-cache mode locks whole tables and fails at once ("database table is
# locked") where a file in WAL mode waits its busy timeout, as production does. Tests with
# real parallel clients (threads, a worker) need the production behaviour.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    DATABASES["default"]["NAME"] = ":memory:"  # noqa: F405
    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": os.path.join(tempfile.gettempdir(), f"tessera-test-{os.getpid()}.sqlite3")
    }

# `make lint` runs django-migration-linter (scripts/lint-migrations.sh): a migration must keep
# working while the previous release still serves (docs/operations.md, "Upgrades"). Initial
# migrations create new tables and are not checked. A migration that is backward-incompatible
# on purpose is named here with why; anything else the linter refuses fails the lint.
DELIBERATELY_INCOMPATIBLE_MIGRATIONS = {
    # NOT NULL with a Python-side default: a previous release inserting waitlist entries
    # without `category` would fail. Shipped before the rule existed; kept as it was.
    ("bookings", "0007_waitlist_category"): "before the upgrade rule",
}
INSTALLED_APPS = ["django_migration_linter", *INSTALLED_APPS]  # noqa: F405
MIGRATION_LINTER_OPTIONS = {
    "include_apps": [app.rsplit(".", 1)[1] for app in INSTALLED_APPS if app.startswith("tessera.")],
    "ignore_initial_migrations": True,
    "ignore_name": [name for _, name in DELIBERATELY_INCOMPATIBLE_MIGRATIONS],
    "no_cache": True,
}
