"""Bookings made straight in the tables: analytics only reads them, so no service is needed."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import time_machine

from tessera.bookings.models import Booking, BookingKind
from tessera.bookings.tests.factories import make_time_booking
from tessera.events.models import TicketBooking

# Monday 1 March 2027, 08:00 UTC.
NOW = datetime(2027, 3, 1, 8, 0, tzinfo=UTC)


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2027, 3, day, hour, minute, tzinfo=UTC)


@pytest.fixture(autouse=True)
def frozen() -> Iterator[Any]:
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def book_time(customer: Any) -> Callable[..., Booking]:
    """`book_time(resource, start, minutes=60, status=..., created=...)`: a time booking."""

    def make(
        resource: Any,
        start: datetime,
        minutes: int = 60,
        status: str = "confirmed",
        created: datetime | None = None,
        extra: list[Any] | None = None,
    ) -> Booking:
        end = start + timedelta(minutes=minutes)
        booking = make_time_booking(
            customer=customer,
            resources=[resource, *(extra or [])],
            start=start,
            end=end,
            status=status,
        )
        Booking.objects.filter(pk=booking.pk).update(created_at=created or NOW)
        return booking

    return make


@pytest.fixture
def book_show(customer: Any) -> Callable[..., Booking]:
    """`book_show(show, quantity, status=..., created=...)`: a general-admission booking."""

    def make(
        show: Any, quantity: int = 1, status: str = "confirmed", created: Any = None
    ) -> Booking:
        booking = Booking.objects.create(
            kind=BookingKind.ADMISSION,
            customer=customer,
            status=status,
            starts_at=show.starts_at,
            ends_at=show.ends_at,
        )
        TicketBooking.objects.create(
            booking=booking,
            show=show,
            quantity=quantity,
            is_live=status in ("pending", "confirmed"),
        )
        Booking.objects.filter(pk=booking.pk).update(created_at=created or NOW)
        return booking

    return make
