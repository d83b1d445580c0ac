"""The time-driven job under parallel workers (PostgreSQL): each due booking moves exactly once
(one history row, one outbox event), whichever worker gets it; SKIP LOCKED lets the workers
share the rows instead of queueing on them."""

from __future__ import annotations

import threading
from collections import Counter
from datetime import UTC, datetime, time, timedelta
from typing import cast

import pytest
from django.db import transaction

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


def test_a_batch_does_not_wait_for_a_waiting_entry_someone_holds():
    """The expiry batch must promote a waiting entry that another transaction has locked: it
    rolls back (nothing changes) instead of waiting, and succeeds at the next run."""
    owner = UserFactory(role=Role.PROVIDER)
    chair = make_resource(capacity=1, hours=ALL_DAY, default_duration=30, owner=owner)
    chair.approval_required = True
    chair.save()
    start = datetime.now(tz=UTC).replace(minute=0, second=0, microsecond=0) + timedelta(days=5)
    customer = cast(User, UserFactory())
    pending = booking_create_time(actor=customer, resource_ids=[chair.pk], start=start)
    waiting = booking_create_time(
        actor=cast(User, UserFactory()), resource_ids=[chair.pk], start=start, waitlist=True
    )
    assert (pending.status, waiting.status) == ("pending", "waitlisted")
    assert pending.confirm_deadline is not None
    later = pending.confirm_deadline + timedelta(minutes=1)
    locked, release = threading.Event(), threading.Event()

    def hold_the_entry(i: int) -> int:
        if i == 0:
            with transaction.atomic():
                Booking.objects.select_for_update().filter(pk=waiting.pk).get()
                locked.set()
                release.wait(timeout=30)
            return 0
        locked.wait(timeout=30)
        try:
            return bookings_advance_due(now=later)["expire"]
        finally:
            release.set()

    assert race(2, hold_the_entry) == [0, 0]
    assert Booking.objects.get(pk=pending.pk).status == "pending"
    assert Booking.objects.get(pk=waiting.pk).status == "waitlisted"
    assert bookings_advance_due(now=later)["expire"] == 1
    # Promoted; the chair needs approval, so it awaits its owner's (a promotion never skips it).
    assert Booking.objects.get(pk=waiting.pk).status == "pending"
