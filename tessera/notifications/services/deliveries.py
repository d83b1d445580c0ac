"""Sending what the fan-out wrote: notifications on their channels, webhooks to subscribers.

Each run claims a batch of due rows in one short transaction (the claim moves their due time
past a lease and counts the attempt), sends each one outside any transaction, and records the
outcome: sent, due again after a backoff, or dead. Runs may overlap (several workers): they
claim different rows. A sender that dies leaves its rows to come back when the lease passes.

Every send also goes through the send ledger (`sends.py`): the batch's entries are opened
before anything is handed over, and each outcome is written with the row's, through a dropped
database connection if need be, so a row that comes back is not sent a second time.
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
from ..idempotency import IDEMPOTENCY_HEADER, email_message_id
from ..locks import queued_lock_due
from ..models import (
    Channel,
    DeliveryStatus,
    Notification,
    SendRecord,
    SendState,
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
from .sends import SendRequest, durably, send_finish, sends_begin

logger = logging.getLogger(__name__)


def lease() -> timedelta:
    """A claimed row comes back after this long if its sender never reports (it died)."""
    return timedelta(seconds=int(settings.NOTIFICATIONS["SEND_LEASE_SECONDS"]))


@dataclass
class SendResult:
    sent: int = 0
    retrying: int = 0
    dead: int = 0
    ids: list[int] = field(default_factory=list)
    # Rows found already sent in the ledger (recorded as sent, not sent again); also in `sent`.
    recognised: int = 0

    def __add__(self, other: SendResult) -> SendResult:
        return SendResult(
            self.sent + other.sent,
            self.retrying + other.retrying,
            self.dead + other.dead,
            self.ids + other.ids,
            self.recognised + other.recognised,
        )


def _claim(model: type[models.Model], *, now: datetime, limit: int) -> list[int]:
    with transaction.atomic():
        ids = queued_lock_due(model=model, now=now, limit=limit)
        if ids:
            model._default_manager.filter(id__in=ids).update(
                available_at=now + lease(), attempts=F("attempts") + 1
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


def _notification_request(row: Notification) -> SendRequest:
    key = str(row.event_id)
    if row.channel == Channel.EMAIL:
        key = email_message_id(event_id=row.event_id, recipient=row.recipient)
    return SendRequest(row.event_id, row.channel, row.recipient, key)


def _send_one_notification(
    row: Notification, ledger: SendRecord, *, now: datetime, result: SendResult
) -> None:
    if ledger.state == SendState.SENT:
        # It went out before (its outcome reached the ledger but not this row): not again.
        durably(
            lambda: _record(
                Notification,
                row,
                error=None,
                permanent=False,
                now=now,
                result=result,
                provider_ref=ledger.provider_ref,
            ),
            what="recording a send found in the ledger",
        )
        result.recognised += 1
        return
    try:
        ref = channel_send(row)
    except SendFailed as exc:
        failure = exc

        def failed() -> None:
            with transaction.atomic():
                send_finish(ledger, sent=False, now=now)
                _record(
                    Notification,
                    row,
                    error=str(failure),
                    permanent=failure.permanent,
                    now=now,
                    result=result,
                )

        durably(failed, what="recording a failed send")
        return

    def sent() -> None:
        with transaction.atomic():
            send_finish(ledger, sent=True, now=now, provider_ref=ref)
            _record(
                Notification,
                row,
                error=None,
                permanent=False,
                now=now,
                result=result,
                provider_ref=ref[:128],
            )

    durably(sent, what="recording a send")


def notifications_send_due(*, now: datetime | None = None, limit: int | None = None) -> SendResult:
    """Send the notifications that are due (see the module docstring)."""
    now = now or utcnow()
    limit = limit or int(settings.NOTIFICATIONS["DELIVERY_BATCH_SIZE"])
    result = SendResult()
    ids = durably(lambda: _claim(Notification, now=now, limit=limit), what="claiming")
    rows = durably(
        lambda: list(Notification.objects.filter(id__in=ids).order_by("id")), what="loading"
    )
    requests = [_notification_request(row) for row in rows]
    ledger = durably(lambda: sends_begin(requests, now=now), what="opening the sends")
    for row, request in zip(rows, requests, strict=True):
        result.ids.append(row.pk)
        _send_one_notification(row, ledger[request.key], now=now, result=result)
    return result


def webhook_headers(delivery: WebhookDelivery, *, secret: str, timestamp: int) -> dict[str, str]:
    body = delivery.body.encode("utf-8")
    return {
        "Content-Type": "application/json",
        "User-Agent": "Tessera-Webhooks/1",
        EVENT_ID_HEADER: str(delivery.event_id),
        IDEMPOTENCY_HEADER: str(delivery.event_id),
        EVENT_TYPE_HEADER: delivery.event_type,
        DELIVERY_ID_HEADER: str(delivery.uid),
        TIMESTAMP_HEADER: str(timestamp),
        SIGNATURE_HEADER: webhook_signature(secret=secret, timestamp=timestamp, body=body),
    }


@dataclass(frozen=True)
class _Attempt:
    error: str | None
    permanent: bool
    status: int | None
    answer: str = ""
    duration_ms: int = 0
    posted: bool = True


def _webhook_post(delivery: WebhookDelivery, *, now: datetime) -> _Attempt:
    """POST one delivery; what happened (nothing is written here)."""
    subscription = delivery.subscription
    if not subscription.is_active:
        return _Attempt("the subscription is disabled", True, None, posted=False)
    timestamp = int(now.timestamp())
    headers = webhook_headers(delivery, secret=subscription.secret, timestamp=timestamp)
    try:
        answer = http_post(
            subscription.url,
            body=delivery.body.encode("utf-8"),
            headers=headers,
            timeout=float(settings.NOTIFICATIONS["HTTP_TIMEOUT_SECONDS"]),
        )
    except HttpTransportError as exc:
        return _Attempt(f"no answer: {exc}", False, None)
    error = None if 200 <= answer.status < 300 else f"the receiver answered {answer.status}"
    return _Attempt(error, False, answer.status, answer.body, answer.duration_ms)


def _webhook_recipient(delivery: WebhookDelivery) -> str:
    """Ledger key: the subscription for the first delivery of an event, the delivery itself
    for a replay (a replay is asked for, so it is sent even though the event went out)."""
    if delivery.replay_of_id is not None:
        return f"replay:{delivery.uid}"
    return f"subscription:{delivery.subscription_id}"


def _send_one_webhook(
    row: WebhookDelivery, ledger: SendRecord, *, now: datetime, result: SendResult
) -> None:
    if ledger.state == SendState.SENT:
        durably(
            lambda: _record(
                WebhookDelivery, row, error=None, permanent=False, now=now, result=result
            ),
            what="recording a webhook found in the ledger",
        )
        result.recognised += 1
        return
    attempt = _webhook_post(row, now=now)

    def outcome() -> None:
        with transaction.atomic():
            send_finish(ledger, sent=attempt.error is None, now=now)
            if attempt.posted:
                WebhookAttempt.objects.create(
                    delivery=row,
                    at=now,
                    status_code=attempt.status,
                    error=attempt.error or "",
                    response_body=attempt.answer[:2000],
                    duration_ms=attempt.duration_ms,
                )
            _record(
                WebhookDelivery,
                row,
                error=attempt.error,
                permanent=attempt.permanent,
                now=now,
                result=result,
                last_status_code=attempt.status,
            )

    durably(outcome, what="recording a webhook attempt")


def webhooks_send_due(*, now: datetime | None = None, limit: int | None = None) -> SendResult:
    """Deliver the webhook deliveries that are due, signed, one attempt each."""
    now = now or utcnow()
    limit = limit or int(settings.NOTIFICATIONS["DELIVERY_BATCH_SIZE"])
    result = SendResult()
    ids = durably(lambda: _claim(WebhookDelivery, now=now, limit=limit), what="claiming")
    rows = durably(
        lambda: list(
            WebhookDelivery.objects.filter(id__in=ids).select_related("subscription").order_by("id")
        ),
        what="loading",
    )
    requests = [
        SendRequest(row.event_id, "webhook", _webhook_recipient(row), str(row.event_id))
        for row in rows
    ]
    ledger = durably(lambda: sends_begin(requests, now=now), what="opening the sends")
    for row, request in zip(rows, requests, strict=True):
        result.ids.append(row.pk)
        _send_one_webhook(row, ledger[request.key], now=now, result=result)
    return result


def deliveries_send_due(*, now: datetime | None = None) -> SendResult:
    """One round of both: what the `deliveries_send` task runs."""
    return notifications_send_due(now=now) + webhooks_send_due(now=now)
