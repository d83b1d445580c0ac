"""The outbox: publish in the caller's transaction, relay to the broker, handle each message.

```
outbox_publish ──(same transaction as the change)──► row: pending
outbox_relay   ──(beat, every few seconds)──────────► broker ──► row: queued
outbox_deliver ──(worker, one per message)──────────► fan-out ──► row: done
                 └─ the fan-out failed: pending again after a backoff, dead after the last try
```
A queued message not handled within `REQUEUE_AFTER_SECONDS` is relayed again, so a message
the broker lost still goes out: delivery is at least once, and `event_id` dedups it.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial
from typing import Any
from uuid import UUID

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, connection, transaction

from tessera.core.clock import utcnow

from .. import broker
from ..errors import InvalidEvent, OutboxNotDead
from ..events import (
    BOOKING_EVENTS,
    WALKIN_EVENTS,
    booking_event_clean,
    event_type_check,
    walkin_event_clean,
)
from ..locks import outbox_lock_due, outbox_lock_one
from ..models import RELAY_STATUSES, OutboxMessage, OutboxStatus
from ..retry import next_try

logger = logging.getLogger(__name__)

Publisher = Callable[[Iterable[UUID]], list[UUID]]


def _json_payload(payload: Mapping[str, Any]) -> dict[str, Any]:
    """The payload as it will be read back: JSON types only (times become ISO strings)."""
    if not isinstance(payload, Mapping):
        raise InvalidEvent("The payload is a dict.", field="payload")
    try:
        return dict(json.loads(json.dumps(payload, cls=DjangoJSONEncoder)))
    except (TypeError, ValueError) as exc:
        raise InvalidEvent(f"The payload is not JSON: {exc}", field="payload") from exc


def _kick_relay_after_commit() -> None:
    """Ask for a relay run once the transaction commits; once per transaction is enough."""
    if connection.in_atomic_block and any(
        entry[1] is _kick_relay for entry in connection.run_on_commit
    ):
        return
    transaction.on_commit(_kick_relay)


def _kick_relay() -> None:
    broker.kick(broker.RELAY_TASK)


def outbox_publish(
    *,
    event_type: str,
    aggregate: str,
    aggregate_id: str | int,
    payload: Mapping[str, Any],
    dedup_key: str | None = None,
    now: datetime | None = None,
) -> OutboxMessage:
    """Write a domain event in the caller's transaction; it is delivered after the commit.

    Nothing leaves here: the row commits with the change it reports, or rolls back with it.
    With a `dedup_key` seen before, the first message is returned and nothing is written.
    """
    event_type_check(event_type)
    if event_type in BOOKING_EVENTS:  # the documented shape, whichever function publishes it
        payload = booking_event_clean({**payload, "type": event_type})
        payload.pop("type")
    elif event_type in WALKIN_EVENTS:
        payload = walkin_event_clean({**payload, "type": event_type})
        payload.pop("type")
    if dedup_key is not None:
        existing = OutboxMessage.objects.filter(dedup_key=dedup_key).first()
        if existing is not None:
            return existing
    now = now or utcnow()
    message = OutboxMessage(
        event_type=event_type,
        aggregate=aggregate[:32],
        aggregate_id=str(aggregate_id)[:64],
        payload=_json_payload(payload),
        dedup_key=dedup_key,
        available_at=now,
        created_at=now,
    )
    if dedup_key is None:  # nothing to collide with: no savepoint needed
        message.save(force_insert=True)
        _kick_relay_after_commit()
        return message
    try:
        with transaction.atomic():
            message.save(force_insert=True)
    except IntegrityError:
        # Another transaction published the same dedup_key first (and has committed).
        existing = OutboxMessage.objects.filter(dedup_key=dedup_key).first()
        if existing is None:
            raise
        return existing
    _kick_relay_after_commit()
    return message


def booking_event_publish(
    *, event: Mapping[str, Any], dedup_key: str | None = None, now: datetime | None = None
) -> OutboxMessage:
    """Publish a booking event (the documented dict, with its `type`) in the caller's
    transaction. Raises `InvalidEvent` (400, naming the field) for a malformed event."""
    clean = booking_event_clean(event)
    event_type = clean.pop("type")
    return outbox_publish(
        event_type=event_type,
        aggregate="booking",
        aggregate_id=clean["reference"],
        payload=clean,  # checked again by outbox_publish: cheap, and one rule for both paths
        dedup_key=dedup_key,
        now=now,
    )


def walkin_event_publish(*, event: Mapping[str, Any], now: datetime | None = None) -> OutboxMessage:
    """Publish a walk-in event (`walkin.joined`, `walkin.called`: the dict of
    `events.walkin_event_clean`, with its `type`) in the caller's transaction."""
    clean = walkin_event_clean(event)
    event_type = clean.pop("type")
    return outbox_publish(
        event_type=event_type,
        aggregate="walkin",
        aggregate_id=clean["walkin_id"],
        payload=clean,
        now=now,
    )


def booking_events_publish(
    *, events: Iterable[Mapping[str, Any]], now: datetime | None = None
) -> list[OutboxMessage]:
    """Publish many booking events (no dedup keys) in the caller's transaction, in one insert:
    for batch jobs (time-driven transitions). Each is checked like `booking_event_publish`;
    one malformed event raises `InvalidEvent` and nothing is written."""
    now = now or utcnow()
    messages = []
    for event in events:
        clean = booking_event_clean(event)
        event_type = clean.pop("type")
        messages.append(
            OutboxMessage(
                event_type=event_type,
                aggregate="booking",
                aggregate_id=str(clean["reference"])[:64],
                payload=_json_payload(clean),
                available_at=now,
                created_at=now,
            )
        )
    if messages:
        OutboxMessage.objects.bulk_create(messages)
        _kick_relay_after_commit()
    return messages


@dataclass(frozen=True)
class RelayResult:
    claimed: int
    published: int
    broker_down: bool = False


def outbox_relay(
    *, now: datetime | None = None, limit: int | None = None, publish: Publisher | None = None
) -> RelayResult:
    """Hand the due messages to the broker. Safe to run in parallel and to repeat.

    Claims a batch (moving each message's due time past the requeue lease) in one short
    transaction, publishes outside it, then marks the published ones queued. When the broker
    is down the rest are due again at the next poll; nothing is lost or counted as a failure.
    """
    now = now or utcnow()
    conf = settings.NOTIFICATIONS
    limit = limit or int(conf["OUTBOX_BATCH_SIZE"])
    publish = publish or broker.publish_outbox_messages
    lease = timedelta(seconds=int(conf["REQUEUE_AFTER_SECONDS"]))
    with transaction.atomic():
        ids = outbox_lock_due(now=now, limit=limit)
        if not ids:
            return RelayResult(0, 0)
        OutboxMessage.objects.filter(id__in=ids).update(available_at=now + lease)
    event_ids = dict(OutboxMessage.objects.filter(id__in=ids).values_list("event_id", "id"))
    ordered = sorted(event_ids, key=event_ids.__getitem__)
    broker_down = False
    try:
        published = publish(ordered)
    except broker.BrokerUnavailable as exc:
        published, broker_down = exc.published, True
        logger.warning("outbox relay: %s", exc)
    with transaction.atomic():
        OutboxMessage.objects.filter(event_id__in=published, status__in=RELAY_STATUSES).update(
            status=OutboxStatus.QUEUED, queued_at=now
        )
        unpublished = set(ordered) - set(published)
        if unpublished:
            retry_at = now + timedelta(seconds=float(settings.OUTBOX_POLL_SECONDS))
            OutboxMessage.objects.filter(
                event_id__in=unpublished, status__in=RELAY_STATUSES
            ).update(available_at=retry_at)
    return RelayResult(len(ids), len(published), broker_down)


FanOutFn = Callable[..., Any]


def outbox_deliver(
    *, event_id: UUID | str, now: datetime | None = None, fan_out: FanOutFn | None = None
) -> OutboxMessage | None:
    """Handle one message: fan it out to notifications and webhooks, then mark it done.

    Idempotent: a message already done (or dead) is left alone, and the fan-out writes rows
    that are unique per event. A failing fan-out writes nothing (savepoint) and the message
    is tried again after a backoff, then dead-lettered.
    """
    from ..consumer import event_fan_out

    fan_out = fan_out or event_fan_out
    now = now or utcnow()
    try:
        event_id = UUID(str(event_id))
    except ValueError:
        logger.error("outbox_deliver: %r is not an event id", event_id)
        return None
    created = False
    with transaction.atomic():
        message = outbox_lock_one(event_id=event_id)
        if message is None or message.status in (OutboxStatus.DONE, OutboxStatus.DEAD):
            return message
        try:
            with transaction.atomic():
                result = fan_out(
                    {**message.payload, "type": message.event_type},
                    event_id=message.event_id,
                    occurred_at=message.created_at,
                    now=now,
                )
        except Exception as exc:  # any consumer failure: retry later, never lose the message
            _record_failure(message, exc, now=now)
            return message
        created = bool(getattr(result, "total", 0))
        message.status = OutboxStatus.DONE
        message.processed_at = now
        message.last_error = ""
        message.save(update_fields=["status", "processed_at", "last_error"])
    if created:  # send the new notifications and webhooks now, not at the next beat tick
        transaction.on_commit(partial(broker.kick, broker.SEND_TASK))
    return message


def _record_failure(message: OutboxMessage, exc: Exception, *, now: datetime) -> None:
    message.attempts += 1
    message.last_error = f"{type(exc).__name__}: {exc}"[:2000]
    retry_at = next_try(attempts=message.attempts, now=now)
    if retry_at is None:
        message.status = OutboxStatus.DEAD
        logger.error("outbox message %s is dead: %s", message.event_id, message.last_error)
    else:
        message.status = OutboxStatus.PENDING
        message.available_at = retry_at
        logger.warning(
            "outbox message %s failed (attempt %d): %s",
            message.event_id,
            message.attempts,
            message.last_error,
        )
    message.save(update_fields=["attempts", "last_error", "status", "available_at"])


def outbox_message_retry(
    *, message: OutboxMessage, actor: Any, now: datetime | None = None
) -> OutboxMessage:
    """Give a dead message another round of attempts (staff, after fixing the cause)."""
    now = now or utcnow()
    with transaction.atomic():
        locked = outbox_lock_one(event_id=message.event_id)
        if locked is None or locked.status != OutboxStatus.DEAD:
            raise OutboxNotDead(message_status=locked.status if locked else None)
        locked.status = OutboxStatus.PENDING
        locked.attempts = 0
        locked.available_at = now
        locked.save(update_fields=["status", "attempts", "available_at"])
        _kick_relay_after_commit()
    logger.info("outbox message %s retried by %s", locked.event_id, getattr(actor, "pk", None))
    return locked
