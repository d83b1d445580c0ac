"""Bookings per day or week, by status: one GROUP BY, then zeros filled in per period."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Literal

from django.db.models import Count, DateField
from django.db.models.functions import Trunc

from tessera.bookings.models import BookingStatus

from .scope import Scope, Window, scoped_bookings

Period = Literal["day", "week"]
Basis = Literal["created", "start"]
_BASIS_FIELD = {"created": "created_at", "start": "starts_at"}
STATUSES = [s.value for s in BookingStatus]


@dataclass
class TrendPoint:
    period: date  # the day, or the Monday of the week, in the window's zone
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(STATUSES, 0))

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def booking_trends(
    *, scope: Scope, window: Window, period: Period = "day", basis: Basis = "created"
) -> list[TrendPoint]:
    """Every day (or week) of the window, with its bookings counted by their current status.

    `basis` picks the date a booking counts on: when it was made (`created`) or when it starts
    (`start`), in the window's zone. One query whatever the number of bookings.
    """
    column = _BASIS_FIELD[basis]
    bucket = Trunc(column, period, output_field=DateField(), tzinfo=window.zone)
    rows = (
        scoped_bookings(scope)
        .filter(**{f"{column}__gte": window.start, f"{column}__lt": window.end})
        .annotate(bucket=bucket)
        .values("bucket", "status")
        .annotate(n=Count("id"))
        .order_by()
    )
    points = {day: TrendPoint(period=day) for day in _periods(window, period)}
    for row in rows:
        point = points.get(row["bucket"])
        if point is not None:
            point.counts[row["status"]] = row["n"]
    return list(points.values())


def _periods(window: Window, period: Period) -> list[date]:
    if period == "day":
        first, step = window.first, timedelta(days=1)
    else:
        first, step = window.first - timedelta(days=window.first.weekday()), timedelta(days=7)
    days, day = [], first
    while day <= window.last:
        days.append(day)
        day += step
    return days
