"""The time-driven job under parallel workers (PostgreSQL): each due booking moves exactly once
(one history row, one outbox event), whichever worker gets it; SKIP LOCKED lets the workers
share the rows instead of queueing on them."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, time, timedelta
from typing import cast

import pytest

from tessera.accounts.models import User
from tessera.accounts.roles import Role
from tessera.accounts.tests.factories import UserFactory
from tessera.bookings.models import Booking, BookingStatusChange
from tessera.bookings.services.create import booking_create_time
from tessera.bookings.services.timed import bookings_advance_due
from tessera.notifications.models import OutboxMessage
from tessera.scheduling.tests.factories import make_resource

from .races import race

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

ALL_DAY = [(d, time(0), time(0)) for d in range(7)]
BOOKINGS = 60
WORKERS = 4


def test_parallel_workers_complete_every_due_booking_once():
    owner = UserFactory(role=Role.PROVIDER)
    room = make_resource(capacity=BOOKINGS, hours=ALL_DAY, default_duration=30, owner=owner)
    start = datetime.now(tz=UTC).replace(minute=0, second=0, microsecond=0) + timedelta(days=2)
    for _ in range(BOOKINGS):
        booking_create_time(
            actor=owner, resource_ids=[room.pk], start=start, customer=cast(User, UserFactory())
        )
    later = start + timedelta(hours=1)

    results = race(WORKERS, lambda i: bookings_advance_due(now=later, limit=7)["complete"])

    assert sum(results) == BOOKINGS
    assert set(Booking.objects.values_list("status", flat=True)) == {"completed"}
    rows = BookingStatusChange.objects.filter(to_status="completed")
    assert Counter(rows.values_list("booking_id", flat=True)) == Counter(
        Booking.objects.values_list("pk", flat=True)
    )
    assert OutboxMessage.objects.filter(event_type="booking.completed").count() == BOOKINGS
    assert sum(bookings_advance_due(now=later).values()) == 0
