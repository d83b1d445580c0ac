"""Free time of resources: their availability rules and their live bookings, read together.

`resource_times_fetch` reads the weekly hours, closures, openings and the occupied ranges of
live allocations of several resources in ONE query (a UNION of rows of one shape, see
`scheduling.selectors.times`); the booking services call it while they hold the resources'
locks, `availability_slots` without any lock.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from tessera.scheduling.domain.slotting import ResourceTimes, Slot, free_slots
from tessera.scheduling.models import Resource
from tessera.scheduling.selectors.times import (
    BUSY,
    local_days,
    resource_times_from_rows,
    schedule_rows,
    time_rows,
)

from ..models import TimeAllocation


def busy_rows(
    *,
    resource_ids: Sequence[int],
    start: datetime,
    end: datetime,
    exclude_booking_id: int | None = None,
) -> Any:
    """The occupied ranges of live allocations that overlap [start, end), as time rows."""
    qs = TimeAllocation.objects.filter(
        resource_id__in=resource_ids, is_live=True, occupied_from__lt=end, occupied_to__gt=start
    )
    if exclude_booking_id is not None:
        qs = qs.exclude(booking_id=exclude_booking_id)
    return time_rows(qs, BUSY, starts_at="occupied_from", ends_at="occupied_to")


def resource_times_fetch(
    *,
    resources: Sequence[Resource],
    start: datetime,
    end: datetime,
    busy_until: datetime | None = None,
    exclude_booking_id: int | None = None,
) -> dict[int, ResourceTimes]:
    """Rules and busy ranges of `resources` around [start, end), in one query.

    Busy ranges are read over [start - largest buffer_before, (busy_until or end) + largest
    buffer_after): everything that can collide with a booking starting in [start, end).
    """
    ids = [r.pk for r in resources]
    first_day, last_day = local_days(resources, start, busy_until or end)
    before = timedelta(minutes=max(r.buffer_before for r in resources))
    after = timedelta(minutes=max(r.buffer_after for r in resources))
    schedule = schedule_rows(resource_ids=ids, first_day=first_day, last_day=last_day)
    busy = busy_rows(
        resource_ids=ids,
        start=start - before,
        end=(busy_until or end) + after,
        exclude_booking_id=exclude_booking_id,
    )
    rows = schedule[0].union(*schedule[1:], busy, all=True).order_by()
    return resource_times_from_rows(resources, rows)


def availability_slots(
    *,
    resources: Sequence[Resource],
    start: datetime,
    end: datetime,
    duration: timedelta,
    step: timedelta,
    now: datetime,
) -> list[Slot]:
    """Free slots of `duration` starting in [start, end) on all of `resources` at once."""
    times = resource_times_fetch(
        resources=resources, start=start, end=end, busy_until=end + duration
    )
    return list(
        free_slots(
            [times[r.pk] for r in resources],
            start=start,
            end=end,
            duration=duration,
            step=step,
            now=now,
        )
    )
