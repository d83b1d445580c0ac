"""The broker goes down: bookings still commit their messages, which go out once it is back.

A real Redis broker started by the test on a free port of 127.0.0.1, and a real Celery worker
(in a thread) consuming from it.
"""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from celery import current_app
from celery.contrib.testing.worker import start_worker
from django.core import mail
from django.db import transaction

from tessera.notifications.models import DeliveryStatus, Notification, OutboxMessage, OutboxStatus
from tessera.notifications.services import booking_event_publish, outbox_relay

from .broker_helpers import RedisServer, celery_broker, free_port, redis_available
from .conftest import booking_event

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not redis_available(), reason="needs the redis-server binary"),
]


def wait_for(predicate, timeout=20.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return False


def test_a_broker_outage_delays_messages_and_loses_none(customer):
    port = free_port()
    server = RedisServer(port)
    with celery_broker(f"redis://127.0.0.1:{port}/0"):
        # 1. The broker is down: the booking change and its message commit all the same,
        #    and quickly (the after-commit kick fails fast and is only logged).
        started = time.monotonic()
        with transaction.atomic():
            message = booking_event_publish(event=booking_event(customer_id=customer.pk))
        assert time.monotonic() - started < 3
        assert OutboxMessage.objects.get().status == OutboxStatus.PENDING

        # 2. Beat's relay cannot hand it over: it stays pending, no attempt is spent on it.
        down = outbox_relay()
        assert (down.claimed, down.published, down.broker_down) == (1, 0, True)
        message.refresh_from_db()
        assert (message.status, message.attempts) == (OutboxStatus.PENDING, 0)
        assert not mail.outbox

        # 3. The broker is back and a worker runs: the next relay hands it over and it goes out.
        server.start()
        try:
            with start_worker(
                current_app, pool="solo", perform_ping_check=False, shutdown_timeout=30
            ):
                up = outbox_relay(now=message.available_at + timedelta(seconds=1))
                assert (up.published, up.broker_down) == (1, False)
                assert wait_for(lambda: OutboxMessage.objects.get().status == OutboxStatus.DONE)
                # The worker was asked to send right after the fan-out (no beat in this test).
                assert wait_for(
                    lambda: Notification.objects.filter(status=DeliveryStatus.SENT).count() == 1
                )
        finally:
            server.stop()

    assert [m.subject for m in mail.outbox] == ["Booking confirmed: Haircut with Bruno"]
    assert OutboxMessage.objects.get().attempts == 0
