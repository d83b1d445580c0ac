"""Bookings of every age and status, made straight in the tables (retention reads and rewrites
rows; no booking service is needed to set them up)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import time_machine

from tessera.bookings.models import Booking, BookingStatusChange
from tessera.bookings.tests.factories import make_time_booking
from tessera.scheduling.tests.factories import make_resource

NOW = datetime(2027, 3, 1, 8, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def frozen() -> Iterator[Any]:
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def resource(db: Any) -> Any:
    return make_resource(name="Chair")


@pytest.fixture
def make_booking(resource: Any, customer: Any) -> Callable[..., Booking]:
    """`make_booking(days_ago=..., status=..., customer=..., notes=...)`: ended `days_ago` days
    ago, with one allocation and one history row (the customer as actor)."""

    def make(
        days_ago: int = 800, status: str = "completed", who: Any = None, notes: str = "allergic"
    ) -> Booking:
        end = NOW - timedelta(days=days_ago)
        start = end - timedelta(hours=1)
        person = who or customer
        booking = make_time_booking(
            customer=person,
            resources=[resource],
            start=start,
            end=end,
            status=status,
            notes=notes,
            cancel_reason="moved away" if status == "cancelled" else "",
            price="25.00",
            currency="EUR",
        )
        BookingStatusChange.objects.create(
            booking=booking,
            from_status="",
            to_status=status,
            actor=person,
            reason="by phone",
            at=start,
        )
        return booking

    return make
