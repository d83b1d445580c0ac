"""Row claims of the notifications app. Every function here expects an open transaction.

On PostgreSQL the rows are locked `FOR UPDATE SKIP LOCKED`, so parallel relays and senders
each take different rows and never wait for each other. SQLite has no row locks: there the
write transaction (BEGIN IMMEDIATE, see settings) serialises claimers, and the second one sees
the rows the first one claimed as not due any more.
"""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from django.db import models

from .models import RELAY_STATUSES, DeliveryStatus, OutboxMessage


def outbox_lock_due(*, now: datetime, limit: int) -> list[int]:
    """Ids of up to `limit` messages due for the relay, oldest first, locked."""
    return list(
        OutboxMessage.objects.filter(status__in=RELAY_STATUSES, available_at__lte=now)
        .order_by("available_at", "id")
        .select_for_update(skip_locked=True)
        .values_list("id", flat=True)[:limit]
    )


def outbox_lock_one(*, event_id: UUID) -> OutboxMessage | None:
    """The message, locked (waiting for another handler of the same message to finish)."""
    return OutboxMessage.objects.select_for_update().filter(event_id=event_id).first()


def queued_lock_due(*, model: type[models.Model], now: datetime, limit: int) -> list[int]:
    """Ids of up to `limit` pending deliveries (notifications, webhooks) due now, locked."""
    return list(
        model._default_manager.filter(status=DeliveryStatus.PENDING, available_at__lte=now)
        .order_by("available_at", "id")
        .select_for_update(skip_locked=True)
        .values_list("id", flat=True)[:limit]
    )
