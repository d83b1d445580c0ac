"""Reads of walk-in queues: the queue, one entry, and the estimated wait.

Estimated wait for someone at position p (or joining now) on a resource:

    (remaining booked minutes of today's live bookings still ahead
     + walk-ins ahead x the average service time) / capacity

- bookings ahead: live allocations (pending, confirmed, in progress) of the resource that have
  not ended, clipped to [now, end of the resource's local day];
- average service time: the mean duration of the resource's completed bookings (SQL `AVG`); with
  no history, `TESSERA_WALKINS["DEFAULT_SERVICE_MINUTES"]`.
It is an estimate: it assumes walk-ins are served between bookings, one per free place.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.db.models import (
    Avg,
    DateTimeField,
    DurationField,
    ExpressionWrapper,
    F,
    QuerySet,
    Sum,
    Value,
)
from django.db.models.functions import Greatest, Least

from tessera.accounts.access import ensure_can
from tessera.bookings.models import LIVE_STATUSES, BookingStatus, TimeAllocation
from tessera.core.clock import utcnow
from tessera.core.errors import NotFound
from tessera.scheduling.domain.localtime import local_to_utc
from tessera.scheduling.models import Resource
from tessera.scheduling.selectors.times import zone

from .models import WalkIn, WalkInStatus


@dataclass(frozen=True)
class WaitEstimate:
    ahead: int  # walk-ins ahead
    booked_ahead: timedelta  # remaining booked time today
    average_service: timedelta
    from_history: bool  # False: the default service time
    wait: timedelta


def walkin_queue(*, resource: Resource, actor: Any) -> QuerySet[WalkIn]:
    """The waiting walk-ins in order (the owner and staff only)."""
    ensure_can(actor, "change", resource)
    return WalkIn.objects.filter(resource=resource, status=WalkInStatus.WAITING).select_related(
        "user"
    )


def walkin_get_for_actor(*, walkin_id: int, actor: Any) -> WalkIn:
    """One walk-in the actor may see (themself, the owner, staff); else 404."""
    from tessera.accounts.access import user_can

    walkin = WalkIn.objects.select_related("resource", "user").filter(pk=walkin_id).first()
    if walkin is None or not user_can(actor, "view", walkin):
        raise NotFound("No such walk-in.", code="walkin_not_found")
    return walkin


def walkin_wait_estimate(
    *, resource: Resource, position: int | None = None, now: datetime | None = None
) -> WaitEstimate:
    """The wait of the walk-in at `position`, or of someone joining now (None). Three queries."""
    now = now or utcnow()
    waiting = WalkIn.objects.filter(resource=resource, status=WalkInStatus.WAITING)
    if position is not None:
        waiting = waiting.filter(position__lt=position)
    ahead = waiting.count()
    average, from_history = _average_service(resource)
    booked = _booked_ahead(resource, now)
    wait = (booked + average * ahead) / resource.capacity
    return WaitEstimate(
        ahead=ahead,
        booked_ahead=booked,
        average_service=average,
        from_history=from_history,
        wait=timedelta(seconds=round(wait.total_seconds())),
    )


def walkin_queue_waits(
    *, resource: Resource, actor: Any, now: datetime | None = None
) -> list[tuple[WalkIn, timedelta]]:
    """The waiting walk-ins in order, each with its estimated wait (the formula above, with
    the walk-ins ahead of each): four queries, whatever the length of the queue. The owner
    and staff only."""
    now = now or utcnow()
    queue = list(walkin_queue(resource=resource, actor=actor).order_by("position"))
    if not queue:
        return []
    average, _ = _average_service(resource)
    booked = _booked_ahead(resource, now)
    return [
        (walkin, _rounded((booked + average * ahead) / resource.capacity))
        for ahead, walkin in enumerate(queue)
    ]


def _rounded(wait: timedelta) -> timedelta:
    return timedelta(seconds=round(wait.total_seconds()))


def _duration(start: Any, end: Any) -> ExpressionWrapper:
    return ExpressionWrapper(end - start, output_field=DurationField())


def _average_service(resource: Resource) -> tuple[timedelta, bool]:
    average = TimeAllocation.objects.filter(
        resource=resource, booking__status=BookingStatus.COMPLETED
    ).aggregate(avg=Avg(_duration(F("starts_at"), F("ends_at"))))["avg"]
    if average is None:
        return timedelta(minutes=settings.TESSERA_WALKINS["DEFAULT_SERVICE_MINUTES"]), False
    if not isinstance(average, timedelta):  # SQLite: microseconds
        average = timedelta(microseconds=float(average))
    return average, True


def _booked_ahead(resource: Resource, now: datetime) -> timedelta:
    tz = zone(resource.timezone)
    tomorrow = now.astimezone(tz).date() + timedelta(days=1)
    day_end = local_to_utc(datetime.combine(tomorrow, time(0)), tz)
    clipped = _duration(
        Greatest(F("starts_at"), Value(now, output_field=DateTimeField())),
        Least(F("ends_at"), Value(day_end, output_field=DateTimeField())),
    )
    total = TimeAllocation.objects.filter(
        resource=resource,
        booking__status__in=LIVE_STATUSES,
        ends_at__gt=now,
        starts_at__lt=day_end,
    ).aggregate(total=Sum(clipped))["total"]
    if total is None:
        return timedelta(0)
    return total if isinstance(total, timedelta) else timedelta(microseconds=int(total))
