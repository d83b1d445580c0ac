"""How full things were: booked time / open time per resource, sold / capacity per show.

Resource utilisation = the booked time of its allocations inside the window (clipped to the
window; statuses that held the time: pending, confirmed, in progress, completed, no-show)
divided by its open time in the window (weekly hours + extra openings - closures, from the
availability rules) times its capacity. A booking made outside the open hours (staff may) can
push it above 1; a resource with no open time has no ratio (`None`).

Show utilisation = places sold (bookings confirmed, in progress, completed or no-show) / the
show's capacity (general admission: its capacity; reserved: the hall's seats, blocked ones
excluded). Pending bookings are reported apart, as `pending`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db import connection
from django.db.models import (
    Count,
    DateTimeField,
    DurationField,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce, Greatest, Least

from tessera.bookings.models import BookingStatus, TimeAllocation
from tessera.events.models import Seat, TicketBooking
from tessera.scheduling.domain import intervals as iv
from tessera.scheduling.domain.slotting import open_intervals
from tessera.scheduling.models import Resource
from tessera.scheduling.selectors.times import (
    local_days,
    resource_times_from_rows,
    schedule_rows_sql,
)

from .scope import Scope, Window, scoped_resources, scoped_shows

TIME_HELD = [
    BookingStatus.PENDING,
    BookingStatus.CONFIRMED,
    BookingStatus.IN_PROGRESS,
    BookingStatus.COMPLETED,
    BookingStatus.NO_SHOW,
]
SOLD = [
    BookingStatus.CONFIRMED,
    BookingStatus.IN_PROGRESS,
    BookingStatus.COMPLETED,
    BookingStatus.NO_SHOW,
]


@dataclass(frozen=True)
class ResourceUse:
    resource_id: int
    name: str
    capacity: int
    bookings: int
    booked: timedelta
    open: timedelta

    @property
    def utilisation(self) -> float | None:
        seconds = self.open.total_seconds() * self.capacity
        return None if seconds <= 0 else round(self.booked.total_seconds() / seconds, 4)


@dataclass(frozen=True)
class ShowUse:
    show_id: int
    title: str
    starts_at: datetime
    status: str
    capacity: int
    sold: int
    pending: int

    @property
    def utilisation(self) -> float | None:
        return None if self.capacity <= 0 else round(self.sold / self.capacity, 4)


def resource_utilisation(*, scope: Scope, window: Window) -> list[ResourceUse]:
    """Every resource in scope, by name: three queries whatever the number of bookings."""
    resources = list(scoped_resources(scope).order_by("name", "id"))
    if not resources:
        return []
    start, end = window.start, window.end
    booked_span = ExpressionWrapper(
        Least(F("ends_at"), Value(end, output_field=DateTimeField()))
        - Greatest(F("starts_at"), Value(start, output_field=DateTimeField())),
        output_field=DurationField(),
    )
    booked: dict[int, Any] = {
        row["resource_id"]: row
        for row in TimeAllocation.objects.filter(
            resource_id__in=[r.pk for r in resources],
            booking__status__in=TIME_HELD,
            starts_at__lt=end,
            ends_at__gt=start,
        )
        .values("resource_id")
        .annotate(n=Count("id"), booked=Sum(booked_span))
        .order_by()
    }
    opened = _open_time(resources, window)
    return [
        ResourceUse(
            resource_id=r.pk,
            name=r.name,
            capacity=r.capacity,
            bookings=booked.get(r.pk, {}).get("n", 0),
            booked=booked.get(r.pk, {}).get("booked") or timedelta(0),
            open=opened[r.pk],
        )
        for r in resources
    ]


def _open_time(resources: list[Resource], window: Window) -> dict[int, timedelta]:
    """Open time of each resource inside the window, from its availability rules (one query)."""
    first_day, last_day = local_days(resources, window.start, window.end)
    sql, params = schedule_rows_sql(
        resource_ids=[r.pk for r in resources], first_day=first_day, last_day=last_day
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    times = resource_times_from_rows(resources, rows)
    bounds = [(int(window.start.timestamp()), int(window.end.timestamp()))]
    return {
        pk: timedelta(
            seconds=sum(
                e - s for s, e in iv.intersect(open_intervals(t, window.start, window.end), bounds)
            )
        )
        for pk, t in times.items()
    }


def show_utilisation(*, scope: Scope, window: Window) -> list[ShowUse]:
    """The shows in scope starting in the window, by start: one query."""

    def places(statuses: list[BookingStatus]) -> Coalesce:
        summed = (
            TicketBooking.objects.filter(show=OuterRef("pk"), booking__status__in=statuses)
            .values("show")
            .annotate(total=Sum("quantity"))
            .values("total")
        )
        return Coalesce(Subquery(summed, output_field=IntegerField()), 0)

    seats = (
        Seat.objects.filter(hall=OuterRef("hall"), blocked=False)
        .values("hall")
        .annotate(total=Count("id"))
        .values("total")
    )
    shows = (
        scoped_shows(scope)
        .filter(starts_at__gte=window.start, starts_at__lt=window.end)
        .annotate(
            title=F("event__title"),
            sold=places(SOLD),
            pending=places([BookingStatus.PENDING]),
            seats=Coalesce(Subquery(seats, output_field=IntegerField()), 0),
        )
        .order_by("starts_at", "id")
        .values(
            "pk", "title", "starts_at", "status", "seating", "capacity", "sold", "pending", "seats"
        )
    )
    return [
        ShowUse(
            show_id=s["pk"],
            title=s["title"],
            starts_at=s["starts_at"],
            status=s["status"],
            capacity=s["seats"] if s["seating"] == "reserved" else (s["capacity"] or 0),
            sold=s["sold"],
            pending=s["pending"],
        )
        for s in shows
    ]


__all__ = ["ResourceUse", "ShowUse", "resource_utilisation", "show_utilisation"]
