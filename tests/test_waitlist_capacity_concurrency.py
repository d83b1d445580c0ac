"""Raising a capacity promotes waiting entries under the resource's or the show's lock
(PostgreSQL, real parallel connections): it never waits for a candidate booking another
transaction holds (the lock order is booking, then resource or show), so it answers
`lock_timeout` at once instead of deadlocking; and racing cancellations, it never over-fills
nor promotes an entry twice."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from datetime import time as clock
from typing import Any, cast

import pytest
from django.db import connections, transaction

from tessera.accounts.models import User
from tessera.accounts.roles import Role
from tessera.accounts.tests.factories import UserFactory
from tessera.bookings.locks import booking_lock
from tessera.bookings.models import Booking, BookingStatusChange, TimeAllocation
from tessera.bookings.services.create import booking_create_time
from tessera.bookings.services.status import booking_cancel
from tessera.core.errors import LockTimeout
from tessera.events.models import TicketBooking
from tessera.events.services.shows import show_update
from tessera.events.services.tickets import ticket_booking_create_for_places
from tessera.events.tests.factories import ShowFactory
from tessera.scheduling.services.resources import resource_update
from tessera.scheduling.tests.factories import make_resource

from .races import race

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

ALL_DAY = [(d, clock(0), clock(0)) for d in range(7)]


def user(role: Role = Role.CUSTOMER) -> User:
    return cast(User, UserFactory(role=role))


def status(booking: Booking) -> str:
    return Booking.objects.get(pk=booking.pk).status


def holding_lock_of(booking_id: int, while_held: Callable[[], Any]) -> Any:
    """Run `while_held()` while another connection holds the booking's row lock."""
    locked, done = threading.Event(), threading.Event()

    def hold() -> None:
        try:
            with transaction.atomic():
                booking_lock(booking_id=booking_id)
                locked.set()
                done.wait(timeout=30)
        finally:
            connections.close_all()

    holder = threading.Thread(target=hold)
    holder.start()
    try:
        assert locked.wait(timeout=30)
        return while_held()
    finally:
        done.set()
        holder.join()


def refused_fast(change: Callable[[], Any]) -> float:
    started = time.monotonic()
    with pytest.raises(LockTimeout):
        change()
    return time.monotonic() - started


class TestNoWaitUnderTheLock:
    def test_a_resource_raise_answers_lock_timeout_then_succeeds_on_retry(self):
        owner = user(Role.PROVIDER)
        room = make_resource(owner=owner, capacity=1, hours=ALL_DAY, default_duration=60)
        start = datetime.now(tz=UTC).replace(minute=0, second=0, microsecond=0) + timedelta(days=2)
        first = user()
        booking_create_time(actor=first, resource_ids=[room.pk], start=start)
        waiting = booking_create_time(
            actor=user(), resource_ids=[room.pk], start=start, waitlist=True
        )

        def raise_capacity() -> Any:
            return resource_update(resource_id=room.pk, actor=owner, capacity=2)

        took = holding_lock_of(waiting.pk, lambda: refused_fast(raise_capacity))
        assert took < 2  # no wait for the lock timeout (5 s): NOWAIT
        room.refresh_from_db()
        assert (room.capacity, status(waiting)) == (1, "waitlisted")  # rolled back whole

        raise_capacity()
        room.refresh_from_db()
        assert (room.capacity, status(waiting)) == (2, "confirmed")

    def test_a_show_raise_answers_lock_timeout_then_succeeds_on_retry(self):
        show = ShowFactory.create(capacity=1)
        holder = user()
        ticket_booking_create_for_places(show=show, quantity=1, customer=holder, actor=holder)
        waiter = user()
        waiting = ticket_booking_create_for_places(
            show=show, quantity=1, customer=waiter, actor=waiter, waitlist=True
        )
        organizer = show.event.owner

        def raise_capacity() -> Any:
            return show_update(show=show, actor=organizer, capacity=2)

        took = holding_lock_of(waiting.pk, lambda: refused_fast(raise_capacity))
        assert took < 2
        show.refresh_from_db()
        assert (show.capacity, status(waiting)) == (1, "waitlisted")

        raise_capacity()
        show.refresh_from_db()
        assert (show.capacity, status(waiting)) == (2, "confirmed")


def test_a_show_raise_racing_cancellations_never_over_fills():
    for _ in range(3):
        _raise_racing_cancellations(capacity=3, waiting_count=6)


def _raise_racing_cancellations(*, capacity: int, waiting_count: int) -> None:
    show = ShowFactory.create(capacity=capacity)
    holders = [user() for _ in range(capacity)]
    held = [
        ticket_booking_create_for_places(show=show, quantity=1, customer=h, actor=h)
        for h in holders
    ]
    waiters = [user() for _ in range(waiting_count)]
    waiting = [
        ticket_booking_create_for_places(show=show, quantity=1, customer=w, actor=w, waitlist=True)
        for w in waiters
    ]

    def work(i: int) -> str:
        try:
            if i == 0:
                show_update(show=show, actor=show.event.owner, capacity=capacity + 2)
            else:
                booking_cancel(booking_id=held[i - 1].pk, actor=holders[i - 1])
        except LockTimeout:
            return "lock_timeout"
        return "ok"

    results = race(capacity + 1, work)
    show.refresh_from_db()
    live = TicketBooking.objects.filter(show=show, is_live=True)
    taken = sum(live.values_list("quantity", flat=True))
    assert show.capacity is not None
    assert taken <= show.capacity
    promoted_ids = [w.pk for w in waiting if status(w) == "confirmed"]
    # In line order, each once; every freed or added place is taken when nothing failed.
    assert promoted_ids == [w.pk for w in waiting[: len(promoted_ids)]]
    rows = BookingStatusChange.objects.filter(booking_id__in=promoted_ids, from_status="waitlisted")
    assert rows.count() == len(promoted_ids)
    if "lock_timeout" not in results:
        assert taken == show.capacity
    assert not TimeAllocation.objects.exists()
