"""What the delivery pipeline keeps, and for how long.

- `pipeline_purge`: finished rows — outbox messages done or dead, notifications and webhook
  deliveries sent or dead (with their attempt log), and the send ledger — older than `NOTIFY_KEEP_DAYS` are deleted,
  in short batches. Rows still on their way (pending, queued) are never touched. Notification
  rows hold addresses and message texts: the pipeline should not outlive its use.
- `events_forget_customer`: a person's data is erased (`tessera.retention`): the events about
  them still in the outbox and in webhook deliveries name someone else (the placeholder the
  bookings were given) and lose their free-text `reason`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import models, transaction

from tessera.core.clock import utcnow

from ..models import (
    DeliveryStatus,
    Notification,
    OutboxMessage,
    OutboxStatus,
    SendRecord,
    WebhookDelivery,
)

BATCH_SIZE = 1000
FINISHED_MESSAGES = (OutboxStatus.DONE, OutboxStatus.DEAD)
FINISHED_DELIVERIES = (DeliveryStatus.SENT, DeliveryStatus.DEAD)


@dataclass(frozen=True)
class PurgeResult:
    messages: int = 0
    notifications: int = 0
    webhook_deliveries: int = 0
    sends: int = 0


def pipeline_purge(*, now: datetime | None = None, max_batches: int = 100) -> PurgeResult:
    """Delete the finished pipeline rows created more than `NOTIFY_KEEP_DAYS` ago (0: keep
    everything). Each batch is one short transaction of at most `BATCH_SIZE` rows per table;
    a run stops after `max_batches` per table, the rest waits for the next (daily) run. Run
    twice, the second run deletes nothing."""
    keep_days = int(settings.NOTIFICATIONS["KEEP_DAYS"])
    if keep_days <= 0:
        return PurgeResult()
    cutoff = (now or utcnow()) - timedelta(days=keep_days)
    return PurgeResult(
        messages=_purge(
            OutboxMessage.objects.filter(status__in=FINISHED_MESSAGES, created_at__lt=cutoff),
            max_batches,
        ),
        notifications=_purge(
            Notification.objects.filter(status__in=FINISHED_DELIVERIES, created_at__lt=cutoff),
            max_batches,
        ),
        webhook_deliveries=_purge(
            WebhookDelivery.objects.filter(status__in=FINISHED_DELIVERIES, created_at__lt=cutoff),
            max_batches,
        ),
        sends=_purge(SendRecord.objects.filter(started_at__lt=cutoff), max_batches),
    )


def _purge(rows: models.QuerySet[Any], max_batches: int) -> int:
    deleted = 0
    for _ in range(max_batches):
        with transaction.atomic():
            ids = list(rows.order_by("pk").values_list("pk", flat=True)[:BATCH_SIZE])
            if not ids:
                break
            rows.model.objects.filter(pk__in=ids).delete()
        deleted += len(ids)
    return deleted


def events_forget_customer(*, customer_id: int, replacement_id: int) -> int:
    """The outbox messages about customer `customer_id`, and the webhook deliveries made of
    them, name `replacement_id` instead and carry no `reason`. Caller: the erasure of a
    person, inside its transaction. Returns how many messages changed."""
    changed = 0
    event_ids = []
    messages = OutboxMessage.objects.filter(payload__customer_id=customer_id).order_by("pk")
    for message in messages.select_for_update():
        message.payload = _forget(message.payload, replacement_id)
        message.save(update_fields=["payload"])
        event_ids.append(message.event_id)
        changed += 1
    for delivery in WebhookDelivery.objects.filter(event_id__in=event_ids).select_for_update():
        body = json.loads(delivery.body)
        body["data"] = _forget(body.get("data") or {}, replacement_id)
        delivery.body = json.dumps(body, separators=(",", ":"), sort_keys=True)
        delivery.save(update_fields=["body"])
    return changed


def _forget(data: dict[str, Any], replacement_id: int) -> dict[str, Any]:
    return {**data, "customer_id": replacement_id, "reason": None}
