"""A resource's availability as rows of one shape, so a caller can fetch them in one query.

Weekly hours, closures and openings come back as `TIME_ROW_FIELDS` tuples. Another app that
knows when a resource is busy (bookings: the occupied ranges of live allocations) builds a
queryset of the same shape with `time_rows(...)` and unions it with `schedule_rows(...)`, so
the booking path reads the rules and the busy ranges in a single round trip.
`resource_times_from_rows` turns the rows into the pure `ResourceTimes` of `domain.slotting`.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import (
    CharField,
    DateField,
    DateTimeField,
    F,
    Field,
    IntegerField,
    QuerySet,
    TimeField,
    Value,
)
from django.db.models.functions import Cast

from ..domain.slotting import LocalSpan, ResourceTimes, Rules, WeeklyRange
from ..models import Closure, ExtraOpening, Resource, WeeklyHours
from ..models.availability import span_end, span_start

TIME_ROW_FIELDS: tuple[tuple[str, Field], ...] = (
    ("weekday", IntegerField()),
    ("start_date", DateField()),
    ("start_time", TimeField()),
    ("end_date", DateField()),
    ("end_time", TimeField()),
    ("starts_at", DateTimeField()),
    ("ends_at", DateTimeField()),
)
HOURS, CLOSED, OPEN, BUSY = "hours", "closed", "open", "busy"


def time_rows(qs: QuerySet[Any], source: str, **columns: str) -> QuerySet[Any]:
    """`qs` as rows `(source, resource_id, *TIME_ROW_FIELDS)`; `columns` names the model
    fields that fill some of them (e.g. `starts_at="occupied_from"`), the rest are NULL."""
    annotations: dict[str, Any] = {"row_source": Value(source, output_field=CharField())}
    annotations["row_resource"] = F("resource_id")
    for name, output in TIME_ROW_FIELDS:
        field_name = columns.get(name)
        annotations[f"row_{name}"] = (
            F(field_name) if field_name else Cast(Value(None), output_field=output)
        )
    names = ["row_source", "row_resource", *(f"row_{name}" for name, _ in TIME_ROW_FIELDS)]
    return qs.order_by().annotate(**annotations).values_list(*names)


def schedule_rows(
    *, resource_ids: Sequence[int], first_day: date, last_day: date
) -> list[QuerySet[Any]]:
    """Querysets (to union) of the weekly hours, and of the closures and openings that touch
    the local dates [first_day, last_day], of the resources."""
    dated = {"start_date": "start_date", "start_time": "start_time"}
    dated |= {"end_date": "end_date", "end_time": "end_time"}
    window = {"end_date__gte": first_day, "start_date__lte": last_day}
    return [
        time_rows(
            WeeklyHours.objects.filter(resource_id__in=resource_ids),
            HOURS,
            weekday="weekday",
            start_time="start_time",
            end_time="end_time",
        ),
        time_rows(Closure.objects.filter(resource_id__in=resource_ids, **window), CLOSED, **dated),
        time_rows(
            ExtraOpening.objects.filter(resource_id__in=resource_ids, **window), OPEN, **dated
        ),
    ]


def local_days(resources: Iterable[Resource], start: datetime, end: datetime) -> tuple[date, date]:
    """The local dates (over all the resources' zones) that [start, end) touches, plus one day
    either side: what `schedule_rows` must cover for `slotting.open_intervals`."""
    firsts, lasts = [], []
    for resource in resources:
        tz = zone(resource.timezone)
        firsts.append(start.astimezone(tz).date())
        lasts.append(end.astimezone(tz).date())
    return min(firsts) - timedelta(days=1), max(lasts) + timedelta(days=1)


@functools.lru_cache(maxsize=512)
def zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def resource_rules(resource: Resource) -> Rules:
    advance = resource.max_advance
    if advance is None:
        advance = settings.TESSERA["DEFAULT_MAX_ADVANCE_DAYS"]
    return Rules(
        capacity=resource.capacity,
        buffer_before=resource.buffer_before,
        buffer_after=resource.buffer_after,
        min_notice=resource.min_notice,
        max_advance=advance,
    )


def default_duration(resource: Resource) -> int:
    """Minutes a booking of this resource lasts when the request gives no end."""
    return resource.default_duration or settings.TESSERA["DEFAULT_BOOKING_MINUTES"]


def slot_step(resource: Resource, duration: int) -> int:
    """Minutes between offered slot starts for bookings of `duration` minutes."""
    return resource.slot_step or duration


def resource_times_from_rows(
    resources: Sequence[Resource], rows: Iterable[Sequence[Any]]
) -> dict[int, ResourceTimes]:
    """Group `(source, resource_id, *TIME_ROW_FIELDS)` rows into one `ResourceTimes` each."""
    parts: dict[int, dict[str, list[Any]]] = {
        r.pk: {HOURS: [], CLOSED: [], OPEN: [], BUSY: []} for r in resources
    }
    for source, resource_id, weekday, d1, t1, d2, t2, starts_at, ends_at in rows:
        bucket = parts.get(resource_id)
        if bucket is None:
            continue
        if source == HOURS:
            bucket[HOURS].append(WeeklyRange(weekday, t1, t2))
        elif source == BUSY:
            bucket[BUSY].append((starts_at, ends_at))
        elif source in (CLOSED, OPEN):
            bucket[source].append(LocalSpan(span_start(d1, t1), span_end(d2, t2)))
    return {
        r.pk: ResourceTimes(
            resource_id=r.pk,
            tz=zone(r.timezone),
            rules=resource_rules(r),
            weekly=parts[r.pk][HOURS],
            closures=parts[r.pk][CLOSED],
            openings=parts[r.pk][OPEN],
            busy=parts[r.pk][BUSY],
        )
        for r in resources
    }
