"""The runtime wiring: Celery settings from the environment, the embedded broker across
processes, JSON logs, Sentry. Settings are read in fresh processes, as a deployment would."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from celery import current_app
from django.conf import settings

ROOT = Path(__file__).resolve().parents[3]


def run_python(code: str, **env: str) -> str:
    """Run `code` in a fresh interpreter with the production settings and `env`."""
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("CELERY_", "SENTRY_", "LOG_", "DATABASE_URL"))
    }
    environment.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings.base",
            "SECRET_KEY": "runtime-test-secret-key-0123456789-0123456789",
            "TESSERA_ENV_FILE": "/nonexistent",
            "PYTHONPATH": str(ROOT),
            **env,
        }
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


SETUP = "import django; django.setup()\n"


def test_the_embedded_default_broker_is_the_filesystem_under_data_dir(tmp_path):
    out = run_python(
        SETUP + "from django.conf import settings as s; import json;"
        "print(json.dumps([s.CELERY_BROKER_URL, s.CELERY_BROKER_TRANSPORT_OPTIONS,"
        " s.CELERY_TASK_ACKS_LATE, getattr(s, 'CELERY_TASK_ALWAYS_EAGER', False)]))",
        DATA_DIR=str(tmp_path),
    )
    url, options, acks_late, eager = json.loads(out)
    assert url == "filesystem://localhost/"
    assert options["data_folder_in"] == str(tmp_path / "broker" / "queue")
    assert options["data_folder_out"] == options["data_folder_in"]
    assert acks_late is True
    assert eager is False  # tasks really go through the broker


def test_a_broker_url_from_the_environment_wins(tmp_path):
    out = run_python(
        SETUP + "from django.conf import settings as s; print(s.CELERY_BROKER_URL);"
        "print(s.CELERY_BROKER_TRANSPORT_OPTIONS['visibility_timeout'])",
        DATA_DIR=str(tmp_path),
        CELERY_BROKER_URL="redis://127.0.0.1:6390/1",
    )
    assert out.split() == ["redis://127.0.0.1:6390/1", "3600"]


def test_a_task_published_by_one_process_is_consumed_by_another(tmp_path):
    """The embedded broker works across processes: web publishes, the worker consumes."""
    run_python(
        SETUP + "from config.celery import app;"
        "app.send_task('notifications.outbox_relay', task_id='cross-process-1')",
        DATA_DIR=str(tmp_path),
    )
    out = run_python(
        SETUP + "from config.celery import app\n"
        "with app.connection_for_read() as conn:\n"
        "    queue = conn.SimpleQueue('tessera')\n"
        "    message = queue.get(timeout=5)\n"
        "    print(message.headers['task'], message.headers['id'])\n"
        "    message.ack()\n",
        DATA_DIR=str(tmp_path),
    )
    assert out.split() == ["notifications.outbox_relay", "cross-process-1"]


@pytest.mark.django_db  # the worker start-up hooks of Celery's Django fix-up touch the database
def test_every_beat_entry_is_a_registered_task_that_expires_before_piling_up():
    current_app.loader.import_default_modules()  # what a worker does at start
    registered = set(current_app.tasks)
    for name, entry in settings.CELERY_BEAT_SCHEDULE.items():
        assert entry["task"] in registered, name
        assert 0 < entry["options"]["expires"] <= max(entry["schedule"] * 2, 3600)


def test_json_logs_are_one_object_per_line_with_extras():
    from tessera.core.logging import JsonFormatter

    record = logging.LogRecord("tessera.x", logging.WARNING, __file__, 1, "hi %s", ("there",), None)
    record.booking = "K7M2P9QX4T"
    record.odd = object()
    try:
        raise ValueError("boom")
    except ValueError:
        record.exc_info = sys.exc_info()

    line = JsonFormatter().format(record)

    entry = json.loads(line)
    assert "\n" not in line
    assert (entry["level"], entry["logger"], entry["message"]) == (
        "WARNING",
        "tessera.x",
        "hi there",
    )
    assert entry["booking"] == "K7M2P9QX4T"
    assert entry["time"].endswith("+00:00")
    assert "ValueError: boom" in entry["exc_info"]


def test_log_format_json_switches_the_console_handler(tmp_path):
    out = run_python(
        SETUP
        + "import logging; logging.getLogger('tessera.test').warning('hello', extra={'k': 1})",
        DATA_DIR=str(tmp_path),
        LOG_FORMAT="json",
    )
    assert out == ""  # logs go to stderr; check the formatter that was configured instead
    formatter = run_python(
        SETUP + "import logging; print(type(logging.getLogger().handlers[0].formatter).__name__)",
        DATA_DIR=str(tmp_path),
        LOG_FORMAT="json",
    )
    assert formatter.strip() == "JsonFormatter"


def test_sentry_is_off_without_a_dsn_and_on_with_django_and_celery_with_one(tmp_path):
    code = SETUP + (
        "import sentry_sdk; client = sentry_sdk.get_client();"
        "print(client.is_active(), sorted(client.integrations))"
    )
    off = run_python(code, DATA_DIR=str(tmp_path))
    on = run_python(code, DATA_DIR=str(tmp_path), SENTRY_DSN="http://key@127.0.0.1:9/1")

    assert off.startswith("False")
    assert on.startswith("True")
    assert "'celery'" in on
    assert "'django'" in on


@pytest.mark.parametrize("backend", ["smtp", "console", "file"])
def test_email_backends_are_chosen_by_name(tmp_path, backend):
    out = run_python(
        SETUP + "from django.conf import settings as s; print(s.MAILERS['default']['BACKEND'])",
        DATA_DIR=str(tmp_path),
        EMAIL_BACKEND=backend,
    )
    assert out.strip().endswith(
        {"smtp": "smtp", "console": "console", "file": "filebased"}[backend] + ".EmailBackend"
    )
