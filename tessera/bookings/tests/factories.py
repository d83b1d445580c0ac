"""Test data: bookings of time written straight to the database (no service, no checks), for
suites that need history — past, cancelled or overlapping bookings the API would refuse."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from tessera.bookings.models import LIVE_STATUSES, Booking, BookingKind, TimeAllocation


def make_time_booking(
    *,
    customer: Any,
    resources: Sequence[Any],
    start: datetime,
    end: datetime,
    status: str,
    **fields: Any,
) -> Booking:
    """A booking of [start, end) on `resources` (a gig when several), with one allocation each,
    live when the status is; `fields` are further booking columns (notes, price...)."""
    booking = Booking.objects.create(
        kind=BookingKind.GIG if len(resources) > 1 else BookingKind.TIME,
        customer=customer,
        status=status,
        starts_at=start,
        ends_at=end,
        **fields,
    )
    TimeAllocation.objects.bulk_create(
        TimeAllocation(
            booking=booking,
            resource=resource,
            starts_at=start,
            ends_at=end,
            occupied_from=start,
            occupied_to=end,
            is_live=status in LIVE_STATUSES,
            exclusive=resource.capacity == 1,
        )
        for resource in resources
    )
    return booking
