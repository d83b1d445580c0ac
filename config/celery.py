"""The Celery application: one code path for all background work.

Settings come from Django's settings (`CELERY_*`, see `config/settings/base.py`), which read the
environment. The embedded default broker is kombu's `filesystem://` transport in
`DATA_DIR/broker/`: it needs no service and works across processes (web, worker and beat each
see the same folders). Production points `CELERY_BROKER_URL` at Redis or RabbitMQ.

Due times live in the database and beat polls them; no task is ever scheduled with an ETA.
"""

from __future__ import annotations

import os
from pathlib import Path

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")

app = Celery("tessera")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


def ensure_broker_folders() -> None:
    """The filesystem transport needs its folders before anyone publishes or consumes."""
    url = str(app.conf.broker_url or "")
    if not url.startswith("filesystem://"):
        return
    options = app.conf.broker_transport_options or {}
    for key in ("data_folder_in", "data_folder_out", "processed_folder", "control_folder"):
        if options.get(key):
            Path(options[key]).mkdir(parents=True, exist_ok=True)


@app.on_after_configure.connect
def _setup(sender: Celery, **kwargs: object) -> None:
    ensure_broker_folders()
