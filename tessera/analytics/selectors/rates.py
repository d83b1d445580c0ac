"""Cancellation and no-show rates, and lead time (booking made -> booking starts).

Counted over the bookings in scope that *start* in the window (waiting-list entries that never
became a booking are left out):

- cancellation rate = cancelled / all of them;
- no-show rate = no-shows / (completed + no-shows): of those whose time came and was recorded;
- lead time: median and 90th percentile of `starts_at - created_at` (nearest rank), found by the
  database (`ORDER BY` lead `OFFSET k LIMIT 1`) so no booking is loaded into Python.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Count, DurationField, ExpressionWrapper, F, QuerySet

from tessera.bookings.models import Booking, BookingStatus

from .scope import Scope, Window, scoped_bookings


@dataclass(frozen=True)
class BookingRates:
    total: int
    by_status: dict[str, int]
    cancellation_rate: float | None
    no_show_rate: float | None
    lead_time_median: timedelta | None
    lead_time_p90: timedelta | None


def booking_rates(*, scope: Scope, window: Window) -> BookingRates:
    """Three queries: the counts by status, then the two lead-time percentiles."""
    bookings = (
        scoped_bookings(scope)
        .filter(starts_at__gte=window.start, starts_at__lt=window.end)
        .exclude(status=BookingStatus.WAITLISTED)
    )
    by_status = dict.fromkeys((s.value for s in BookingStatus if s != "waitlisted"), 0)
    for row in bookings.values("status").annotate(n=Count("id")).order_by():
        by_status[row["status"]] = row["n"]
    total = sum(by_status.values())
    cancelled, no_show = by_status[BookingStatus.CANCELLED], by_status[BookingStatus.NO_SHOW]
    attended = by_status[BookingStatus.COMPLETED] + no_show
    return BookingRates(
        total=total,
        by_status=by_status,
        cancellation_rate=_ratio(cancelled, total),
        no_show_rate=_ratio(no_show, attended),
        lead_time_median=_percentile(bookings, total, 0.5),
        lead_time_p90=_percentile(bookings, total, 0.9),
    )


def _ratio(part: int, whole: int) -> float | None:
    return None if whole == 0 else round(part / whole, 4)


def _percentile(bookings: QuerySet[Booking], count: int, fraction: float) -> timedelta | None:
    """The nearest-rank percentile of the lead times of `count` bookings."""
    if count == 0:
        return None
    rank = max(math.ceil(fraction * count), 1) - 1
    lead = ExpressionWrapper(F("starts_at") - F("created_at"), output_field=DurationField())
    value = bookings.annotate(lead=lead).order_by("lead", "id").values_list("lead", flat=True)[rank]
    return value if isinstance(value, timedelta) else timedelta(microseconds=int(value))
