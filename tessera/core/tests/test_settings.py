"""Configuration comes only from the environment: check the defaults a deployment relies on."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]

PROBE = """
import json, django
from django.conf import settings
django.setup()
db = settings.DATABASES["default"]
print(json.dumps({
    "debug": settings.DEBUG,
    "ssl_redirect": settings.SECURE_SSL_REDIRECT,
    "hsts": settings.SECURE_HSTS_SECONDS,
    "session_secure": settings.SESSION_COOKIE_SECURE,
    "csrf_secure": settings.CSRF_COOKIE_SECURE,
    "engine": db["ENGINE"],
    "options": {k: v for k, v in db.get("OPTIONS", {}).items() if k != "pool"},
    "pooled": "pool" in db.get("OPTIONS", {}),
    "conn_max_age": db.get("CONN_MAX_AGE"),
    "where": [db.get(k) for k in ("NAME", "USER", "PASSWORD", "HOST", "PORT")],
}))
"""


def _run(**env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO", "DATABASE", "DB_"))}
    clean.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings.base",
            "TESSERA_ENV_FILE": "/nonexistent",
            **env,
        }
    )
    for name in ("DEBUG", "SECURE_DATA_TRANSFER"):
        if name not in env:
            clean.pop(name, None)
    return subprocess.run(
        [sys.executable, "-c", PROBE], env=clean, cwd=ROOT, capture_output=True, text=True
    )


def _settings(**env: str) -> dict:
    out = _run(**env)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


def test_production_is_the_default():
    conf = _settings(SECRET_KEY="x" * 50)
    assert conf["debug"] is False
    assert conf["ssl_redirect"] is True
    assert conf["hsts"] >= 31_536_000
    assert conf["session_secure"] and conf["csrf_secure"]


def test_debug_switches_secure_transport_off_unless_asked():
    assert _settings(DEBUG="true")["ssl_redirect"] is False
    assert _settings(DEBUG="true", SECURE_DATA_TRANSFER="true")["ssl_redirect"] is True


def test_sqlite_is_tuned_for_concurrent_writers():
    conf = _settings(SECRET_KEY="x" * 50)
    assert conf["engine"] == "django.db.backends.sqlite3"
    assert conf["options"]["transaction_mode"] == "IMMEDIATE"
    assert "journal_mode=WAL" in conf["options"]["init_command"]
    assert "busy_timeout" in conf["options"]["init_command"]


def test_postgres_from_database_url_with_persistent_or_pooled_connections():
    url = "postgres://u:p@db.example:5432/tessera"
    persistent = _settings(SECRET_KEY="x" * 50, DATABASE_URL=url)
    assert persistent["engine"] == "django.db.backends.postgresql"
    assert persistent["conn_max_age"] == 60
    pooled = _settings(SECRET_KEY="x" * 50, DATABASE_URL=url, DB_POOL="true")
    assert pooled["pooled"] is True
    assert pooled["conn_max_age"] == 0


def test_missing_secret_key_in_production_fails_loudly():
    env = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "DEBUG")}
    env.update({"DJANGO_SETTINGS_MODULE": "config.settings.base", "TESSERA_ENV_FILE": "/x"})
    out = subprocess.run(
        [sys.executable, "-c", PROBE], env=env, cwd=ROOT, capture_output=True, text=True
    )
    assert out.returncode != 0
    assert "SECRET_KEY must be set" in out.stderr


LEGACY = {
    "DB_NAME": "event_booking",
    "DB_USER": "booker",
    "DB_PASSWORD": "p@ss:w/rd",
    "DB_HOST": "db.internal",
    "DB_PORT": "6543",
}


def test_the_old_platforms_db_variables_configure_postgresql():
    conf = _settings(SECRET_KEY="x" * 50, **LEGACY)
    assert conf["engine"] == "django.db.backends.postgresql"
    assert conf["where"] == ["event_booking", "booker", "p@ss:w/rd", "db.internal", 6543]
    assert conf["options"]["connect_timeout"] == 5  # the same tuning as DATABASE_URL gets


def test_db_name_alone_uses_the_postgresql_defaults():
    conf = _settings(SECRET_KEY="x" * 50, DB_NAME="event_booking")
    assert conf["where"] == ["event_booking", "", "", "localhost", 5432]


def test_database_url_wins_over_the_db_variables():
    url = "postgres://u:p@db.example:5432/tessera"
    conf = _settings(SECRET_KEY="x" * 50, DATABASE_URL=url, DB_USER="ignored")
    assert conf["where"] == ["tessera", "u", "p", "db.example", 5432]


def test_db_variables_without_db_name_refuse_to_start():
    out = _run(SECRET_KEY="x" * 50, DB_USER="booker", DB_HOST="db.internal")
    assert out.returncode != 0
    assert "without DB_NAME" in out.stderr


def test_a_db_port_that_is_not_a_number_refuses_to_start():
    out = _run(SECRET_KEY="x" * 50, DB_NAME="event_booking", DB_PORT="five")
    assert out.returncode != 0
    assert "DB_PORT must be a number" in out.stderr
