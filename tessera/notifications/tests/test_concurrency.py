"""Real parallel clients (threads, each with its own database connection).

On PostgreSQL the claims use `FOR UPDATE SKIP LOCKED`; on SQLite the write transactions are
serialised (BEGIN IMMEDIATE). Either way no message is handed over twice by racing relays, no
notification is sent twice by racing senders, and one event fans out once.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable
from datetime import timedelta
from typing import Any
from uuid import UUID, uuid4

import pytest
from django.core import mail
from django.db import connection, connections

from tessera.notifications.consumer import event_fan_out
from tessera.notifications.models import DeliveryStatus, Notification, OutboxMessage, OutboxStatus
from tessera.notifications.services import (
    booking_event_publish,
    notifications_send_due,
    outbox_deliver,
    outbox_relay,
)

from .conftest import START, booking_event

pytestmark = pytest.mark.django_db(transaction=True)
THREADS = 8
NOW = START - timedelta(days=1)


def run_parallel(target: Callable[[int], Any], threads: int = THREADS) -> list[Any]:
    """Start `threads` threads at once (a barrier), each on its own connection; re-raise errors."""
    barrier = threading.Barrier(threads)
    results: list[Any] = [None] * threads
    errors: list[BaseException] = []

    def body(index: int) -> None:
        try:
            barrier.wait()
            results[index] = target(index)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    workers = [threading.Thread(target=body, args=(i,)) for i in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(60)
    assert not errors, errors
    return results


def publish_many(customer: Any, count: int) -> list[UUID]:
    return [
        booking_event_publish(
            event=booking_event(customer_id=customer.pk, reference=f"REF{i:05d}"), now=NOW
        ).event_id
        for i in range(count)
    ]


def test_racing_relays_hand_each_message_over_exactly_once(customer):
    expected = publish_many(customer, 240)
    handed: list[UUID] = []
    lock = threading.Lock()

    def record(event_ids):
        done = list(event_ids)
        with lock:
            handed.extend(done)
        return done

    def relay_until_empty(_: int) -> int:
        total = 0
        while True:
            result = outbox_relay(now=NOW, limit=25, publish=record)
            if not result.claimed:
                return total
            total += result.published

    totals = run_parallel(relay_until_empty)

    assert sum(totals) == len(expected)
    assert Counter(handed) == Counter(expected)  # every message once, none twice
    assert set(OutboxMessage.objects.values_list("status", flat=True)) == {OutboxStatus.QUEUED}


def test_racing_handlers_of_one_message_fan_it_out_once(customer):
    [event_id] = publish_many(customer, 1)

    run_parallel(lambda _: outbox_deliver(event_id=event_id, now=NOW))

    assert Notification.objects.count() == 1
    assert OutboxMessage.objects.get().status == OutboxStatus.DONE


def test_racing_senders_send_each_notification_exactly_once(customer, make_user):
    users = [make_user() for _ in range(30)]
    for user in users:
        event_fan_out(booking_event(customer_id=user.pk), event_id=uuid4(), now=NOW)
    connection.close()

    results = run_parallel(lambda _: notifications_send_due(now=NOW, limit=4))

    sent_ids = [i for result in results for i in result.ids]
    assert len(sent_ids) == len(set(sent_ids))
    assert sorted(m.to[0] for m in mail.outbox) == sorted(u.email for u in users)
    assert Notification.objects.filter(status=DeliveryStatus.SENT).count() <= 30
    # Whatever a run left (batches are small), the next runs finish without sending twice.
    while notifications_send_due(now=NOW).ids:
        pass
    assert Notification.objects.filter(status=DeliveryStatus.SENT).count() == 30
    assert len(mail.outbox) == 30


def test_racing_publishes_with_one_dedup_key_write_one_message(customer):
    results = run_parallel(
        lambda _: (
            booking_event_publish(
                event=booking_event("booking.reminder", customer_id=customer.pk),
                dedup_key="reminder:K7M2P9QX4T",
            ).event_id
        )
    )

    assert OutboxMessage.objects.count() == 1
    assert set(results) == {OutboxMessage.objects.get().event_id}
