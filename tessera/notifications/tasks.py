"""Celery tasks: each takes ids (or nothing), calls one service, and is safe to run twice."""

from __future__ import annotations

import logging
import time
from pathlib import Path

from celery import shared_task
from django.conf import settings

from .services import deliveries_send_due, outbox_deliver, outbox_relay, pipeline_purge

logger = logging.getLogger(__name__)


@shared_task(name="notifications.outbox_relay", ignore_result=True)
def outbox_relay_task() -> int:
    """Beat, every OUTBOX_POLL_SECONDS: hand due outbox messages to the broker."""
    return outbox_relay().published


@shared_task(name="notifications.outbox_deliver", ignore_result=True, acks_late=True)
def outbox_deliver_task(event_id: str) -> None:
    """One per message (task id = event id): fan the message out."""
    outbox_deliver(event_id=event_id)


@shared_task(name="notifications.deliveries_send", ignore_result=True)
def deliveries_send_task() -> int:
    """Beat, every DELIVERY_POLL_SECONDS (and after each fan-out): send what is due."""
    return deliveries_send_due().sent


@shared_task(name="notifications.purge_finished", ignore_result=True)
def pipeline_purge_task() -> int:
    """Daily: delete finished outbox messages, notifications and webhook deliveries older than
    NOTIFY_KEEP_DAYS."""
    result = pipeline_purge()
    return result.messages + result.notifications + result.webhook_deliveries


@shared_task(name="notifications.broker_sweep", ignore_result=True)
def broker_sweep_task(max_age_seconds: int = 86_400) -> int:
    """Hourly: delete consumed message files of the filesystem broker (embedded mode only)."""
    folder = str((settings.CELERY_BROKER_TRANSPORT_OPTIONS or {}).get("processed_folder") or "")
    if not folder or not Path(folder).is_dir():
        return 0
    cutoff = time.time() - max_age_seconds
    removed = 0
    for path in Path(folder).glob("*.msg"):
        try:
            if path.stat().st_mtime < cutoff:
                path.unlink()
                removed += 1
        except FileNotFoundError:
            continue
    return removed
