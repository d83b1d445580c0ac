"""Sending what the fan-out wrote: notifications on their channels, webhooks to subscribers.

Each run claims a batch of due rows in one short transaction (the claim moves their due time
past a lease and counts the attempt), sends each one outside any transaction, and records the
outcome: sent, due again after a backoff, or dead. Runs may overlap (several workers): they
claim different rows. A sender that dies leaves its rows to come back when the lease passes.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import models, transaction
from django.db.models import F

from tessera.core.clock import utcnow

from ..channels import SendFailed, channel_send
from ..channels.http import HttpTransportError, http_post
from ..locks import queued_lock_due
from ..models import (
    DeliveryStatus,
    Notification,
    WebhookAttempt,
    WebhookDelivery,
)
from ..retry import next_try
from ..signing import (
    DELIVERY_ID_HEADER,
    EVENT_ID_HEADER,
    EVENT_TYPE_HEADER,
    SIGNATURE_HEADER,
    TIMESTAMP_HEADER,
    webhook_signature,
)

logger = logging.getLogger(__name__)

# A claimed row comes back after this long if its sender never reports (it died).
LEASE = timedelta(minutes=5)


@dataclass
class SendResult:
    sent: int = 0
    retrying: int = 0
    dead: int = 0
    ids: list[int] = field(default_factory=list)

    def __add__(self, other: SendResult) -> SendResult:
        return SendResult(
            self.sent + other.sent,
            self.retrying + other.retrying,
            self.dead + other.dead,
            self.ids + other.ids,
        )


def _claim(model: type[models.Model], *, now: datetime, limit: int) -> list[int]:
    with transaction.atomic():
        ids = queued_lock_due(model=model, now=now, limit=limit)
        if ids:
            model._default_manager.filter(id__in=ids).update(
                available_at=now + LEASE, attempts=F("attempts") + 1
            )
    return ids


def _record(
    model: type[models.Model],
    row: Any,
    *,
    error: str | None,
    permanent: bool,
    now: datetime,
    result: SendResult,
    **fields: Any,
) -> None:
    """Write the outcome of one attempt, unless someone else finished the row meanwhile."""
    pending = model._default_manager.filter(pk=row.pk, status=DeliveryStatus.PENDING)
    if error is None:
        pending.update(status=DeliveryStatus.SENT, sent_at=now, last_error="", **fields)
        result.sent += 1
        return
    retry_at = None if permanent else next_try(attempts=row.attempts, now=now)
    if retry_at is None:
        pending.update(status=DeliveryStatus.DEAD, last_error=error[:2000], **fields)
        result.dead += 1
        logger.error(
            "%s %s is dead after %d attempt(s): %s", model.__name__, row.pk, row.attempts, error
        )
    else:
        pending.update(available_at=retry_at, last_error=error[:2000], **fields)
        result.retrying += 1
        logger.warning("%s %s failed (attempt %d): %s", model.__name__, row.pk, row.attempts, error)


def notifications_send_due(*, now: datetime | None = None, limit: int | None = None) -> SendResult:
    """Send the notifications that are due (see the module docstring)."""
    now = now or utcnow()
    limit = limit or int(settings.NOTIFICATIONS["DELIVERY_BATCH_SIZE"])
    result = SendResult()
    ids = _claim(Notification, now=now, limit=limit)
    for row in Notification.objects.filter(id__in=ids).order_by("id"):
        result.ids.append(row.pk)
        try:
            ref = channel_send(row)
        except SendFailed as exc:
            _record(
                Notification, row, error=str(exc), permanent=exc.permanent, now=now, result=result
            )
            continue
        _record(
            Notification,
            row,
            error=None,
            permanent=False,
            now=now,
            result=result,
            provider_ref=ref[:128],
        )
    return result


def webhook_headers(delivery: WebhookDelivery, *, secret: str, timestamp: int) -> dict[str, str]:
    body = delivery.body.encode("utf-8")
    return {
        "Content-Type": "application/json",
        "User-Agent": "Tessera-Webhooks/1",
        EVENT_ID_HEADER: str(delivery.event_id),
        EVENT_TYPE_HEADER: delivery.event_type,
        DELIVERY_ID_HEADER: str(delivery.uid),
        TIMESTAMP_HEADER: str(timestamp),
        SIGNATURE_HEADER: webhook_signature(secret=secret, timestamp=timestamp, body=body),
    }


def _webhook_attempt(
    delivery: WebhookDelivery, *, now: datetime
) -> tuple[str | None, bool, int | None]:
    """POST one delivery, log the attempt; (error or None, permanent, status code)."""
    subscription = delivery.subscription
    if not subscription.is_active:
        return "the subscription is disabled", True, None
    timestamp = int(now.timestamp())
    headers = webhook_headers(delivery, secret=subscription.secret, timestamp=timestamp)
    status: int | None = None
    error = ""
    body = ""
    duration = 0
    try:
        answer = http_post(
            subscription.url,
            body=delivery.body.encode("utf-8"),
            headers=headers,
            timeout=float(settings.NOTIFICATIONS["HTTP_TIMEOUT_SECONDS"]),
        )
        status, body, duration = answer.status, answer.body, answer.duration_ms
        if not 200 <= status < 300:
            error = f"the receiver answered {status}"
    except HttpTransportError as exc:
        error = f"no answer: {exc}"
    WebhookAttempt.objects.create(
        delivery=delivery,
        at=now,
        status_code=status,
        error=error,
        response_body=body[:2000],
        duration_ms=duration,
    )
    return error or None, False, status


def webhooks_send_due(*, now: datetime | None = None, limit: int | None = None) -> SendResult:
    """Deliver the webhook deliveries that are due, signed, one attempt each."""
    now = now or utcnow()
    limit = limit or int(settings.NOTIFICATIONS["DELIVERY_BATCH_SIZE"])
    result = SendResult()
    ids = _claim(WebhookDelivery, now=now, limit=limit)
    rows = WebhookDelivery.objects.filter(id__in=ids).select_related("subscription").order_by("id")
    for row in rows:
        result.ids.append(row.pk)
        error, permanent, status = _webhook_attempt(row, now=now)
        _record(
            WebhookDelivery,
            row,
            error=error,
            permanent=permanent,
            now=now,
            result=result,
            last_status_code=status,
        )
    return result


def deliveries_send_due(*, now: datetime | None = None) -> SendResult:
    """One round of both: what the `deliveries_send` task runs."""
    return notifications_send_due(now=now) + webhooks_send_due(now=now)
