"""Free time of resources: their availability rules and their live bookings, read together.

`resource_times_fetch` reads the weekly hours, closures, openings and the occupied ranges of
live allocations of several resources in ONE query (a UNION ALL of rows of one shape, see
`scheduling.selectors.times`; the SQL is prepared once per number of resources). The booking
services call it while they hold the resources' locks, `availability_slots` without any lock.
"""

from __future__ import annotations

import bisect
import functools
import itertools
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from django.db import connection

from tessera.core.errors import ValidationFailed
from tessera.scheduling.cache import SlotRows, cached_slot_rows
from tessera.scheduling.domain.slotting import ResourceTimes, Slot, free_slots
from tessera.scheduling.models import Resource
from tessera.scheduling.selectors.times import (
    BUSY,
    local_days,
    placeholders,
    resource_times_from_rows,
    row_select,
    schedule_rows_sql,
)

from ..models import TimeAllocation


@functools.cache
def _busy_sql(count: int, excluding: bool) -> str:
    table = TimeAllocation._meta.db_table
    select = row_select(BUSY, table, starts_at="occupied_from", ends_at="occupied_to")
    sql = (
        f"{select} WHERE resource_id IN ({placeholders(count)}) AND is_live"
        " AND occupied_from < %s AND occupied_to > %s"
    )
    return f"{sql} AND booking_id <> %s" if excluding else sql


def busy_rows_sql(
    *,
    resource_ids: Sequence[int],
    start: datetime,
    end: datetime,
    exclude_booking_id: int | None = None,
) -> tuple[str, list[Any]]:
    """SQL and parameters of the occupied ranges of live allocations that overlap [start, end),
    as time rows (see `scheduling.selectors.times`)."""
    ops = connection.ops
    params: list[Any] = [*resource_ids, ops.adapt_datetimefield_value(end)]
    params.append(ops.adapt_datetimefield_value(start))
    if exclude_booking_id is not None:
        params.append(exclude_booking_id)
    return _busy_sql(len(resource_ids), exclude_booking_id is not None), params


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
    schedule, schedule_params = schedule_rows_sql(
        resource_ids=ids, first_day=first_day, last_day=last_day
    )
    busy, busy_params = busy_rows_sql(
        resource_ids=ids,
        start=start - before,
        end=(busy_until or end) + after,
        exclude_booking_id=exclude_booking_id,
    )
    with connection.cursor() as cursor:
        cursor.execute(f"{schedule} UNION ALL {busy}", [*schedule_params, *busy_params])
        rows = cursor.fetchall()
    return resource_times_from_rows(resources, rows)


def availability_slots(
    *,
    resources: Sequence[Resource],
    start: datetime,
    end: datetime,
    duration: timedelta,
    step: timedelta,
    now: datetime,
    include_full: bool = False,
    exclude_booking_id: int | None = None,
) -> list[Slot]:
    """Free slots of `duration` starting in [start, end) on all of `resources` at once (and,
    with `include_full`, the open ones that are full, with `places_left` 0). The time of
    `exclude_booking_id` counts as free (what a booking being moved may move into)."""
    return list(
        _slots(
            resources=resources,
            start=start,
            end=end,
            duration=duration,
            step=step,
            now=now,
            include_full=include_full,
            exclude_booking_id=exclude_booking_id,
        )
    )


def _slots(
    *,
    resources: Sequence[Resource],
    start: datetime,
    end: datetime,
    duration: timedelta,
    step: timedelta,
    now: datetime,
    include_full: bool = False,
    exclude_booking_id: int | None = None,
) -> Iterator[Slot]:
    times = resource_times_fetch(
        resources=resources,
        start=start,
        end=end,
        busy_until=end + duration,
        exclude_booking_id=exclude_booking_id,
    )
    return free_slots(
        [times[r.pk] for r in resources],
        start=start,
        end=end,
        duration=duration,
        step=step,
        now=now,
        include_full=include_full,
    )


def free_slots_bounded(
    *,
    resources: Sequence[Resource],
    start: datetime,
    end: datetime,
    duration: timedelta,
    step: timedelta,
    now: datetime,
    limit: int,
) -> list[Slot]:
    """`availability_slots`, at most `limit` of them (more is a 400 `too_many_slots`), served
    from the shared cache when the same question was asked lately (`scheduling.cache`).

    The cached rows do not depend on the time of asking: minimum notice is applied here, after
    the cache; maximum advance as it was when the rows were computed (at most the cache's TTL
    ago, so a slot at the far edge may show up that much later).
    """

    def compute() -> SlotRows:
        slots = _slots(
            resources=resources, start=start, end=end, duration=duration, step=step, now=now
        )
        return [
            (int(s.start.timestamp()), int(s.end.timestamp()), s.places_left)
            for s in itertools.islice(slots, limit + 1)
        ]

    params = (start.timestamp(), end.timestamp(), duration.total_seconds(), step.total_seconds())
    rows = cached_slot_rows(resource_ids=[r.pk for r in resources], params=params, compute=compute)
    if len(rows) > limit:
        raise ValidationFailed(
            f"More than {limit} slots: ask for a shorter window or a longer step.",
            code="too_many_slots",
            field="end",
            max_slots=limit,
        )
    notice = max(r.min_notice for r in resources)
    earliest = int(now.timestamp()) + notice * 60
    first = bisect.bisect_left(rows, earliest, key=lambda row: row[0])
    return [
        Slot(datetime.fromtimestamp(a, UTC), datetime.fromtimestamp(b, UTC), places)
        for a, b, places in rows[first:]
    ]
