"""A resource's availability as rows of one shape, so a caller can fetch them in one query.

Weekly hours, closures and openings come back as rows `(source, resource_id, weekday,
start_date, start_time, end_date, end_time, starts_at, ends_at)`. Another app that knows when a
resource is busy (bookings: the occupied ranges of live allocations) writes a SELECT of the
same shape and unions it with `schedule_rows_sql(...)`, so the booking path reads the rules and
the busy ranges in a single round trip. The SQL is written out (table and column names come
from the models) because this is the hot path of every booking: composing the ORM union cost
more than running it. `resource_times_from_rows` turns the rows into the pure `ResourceTimes`
of `domain.slotting`.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection
from django.utils.dateparse import parse_date, parse_datetime, parse_time

from ..domain.slotting import LocalSpan, ResourceTimes, Rules, WeeklyRange
from ..models import Closure, ExtraOpening, Resource, WeeklyHours
from ..models.availability import span_end, span_start

HOURS, CLOSED, OPEN, BUSY = "hours", "closed", "open", "busy"
NULLS = {
    "weekday": "CAST(NULL AS integer)",
    "start_date": "CAST(NULL AS date)",
    "start_time": "CAST(NULL AS time)",
    "end_date": "CAST(NULL AS date)",
    "end_time": "CAST(NULL AS time)",
    "starts_at": "CAST(NULL AS timestamp with time zone)",
    "ends_at": "CAST(NULL AS timestamp with time zone)",
}


def placeholders(count: int) -> str:
    return ", ".join(["%s"] * count)


def row_select(source: str, table: str, **columns: str) -> str:
    """`SELECT '<source>', resource_id, <the time-row columns> FROM <table>`: `columns` maps a
    time-row column to a column of the table, the others are typed NULLs."""
    values = [columns.get(name) or NULLS[name] for name in NULLS]
    # Built from constants and model metadata only; every value is a query parameter.
    return f"SELECT '{source}', resource_id, {', '.join(values)} FROM {table}"  # noqa: S608


def _column(model: Any, field: str) -> str:
    return str(model._meta.get_field(field).column)


@functools.cache
def _schedule_sql(count: int) -> str:
    ids = placeholders(count)
    dated = {
        name: _column(Closure, name)
        for name in ("start_date", "start_time", "end_date", "end_time")
    }
    hours = row_select(
        HOURS,
        WeeklyHours._meta.db_table,
        weekday=_column(WeeklyHours, "weekday"),
        start_time=_column(WeeklyHours, "start_time"),
        end_time=_column(WeeklyHours, "end_time"),
    )
    window = "AND end_date >= %s AND start_date <= %s"
    closed = row_select(CLOSED, Closure._meta.db_table, **dated)
    opened = row_select(OPEN, ExtraOpening._meta.db_table, **dated)
    return (
        f"{hours} WHERE resource_id IN ({ids})"
        f" UNION ALL {closed} WHERE resource_id IN ({ids}) {window}"
        f" UNION ALL {opened} WHERE resource_id IN ({ids}) {window}"
    )


def schedule_rows_sql(
    *, resource_ids: Sequence[int], first_day: date, last_day: date
) -> tuple[str, list[Any]]:
    """SQL and parameters of the weekly hours, and of the closures and openings that touch the
    local dates [first_day, last_day], of the resources: union it with other row sources."""
    ops = connection.ops
    days = [ops.adapt_datefield_value(first_day), ops.adapt_datefield_value(last_day)]
    ids = list(resource_ids)
    return _schedule_sql(len(ids)), [*ids, *ids, *days, *ids, *days]


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
            bucket[HOURS].append(WeeklyRange(int(weekday), _time(t1), _time(t2)))
        elif source == BUSY:
            bucket[BUSY].append((_moment(starts_at), _moment(ends_at)))
        elif source in (CLOSED, OPEN):
            span = LocalSpan(
                span_start(_date(d1), _time_or_none(t1)), span_end(_date(d2), _time_or_none(t2))
            )
            bucket[source].append(span)
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


# Raw rows hold native values on PostgreSQL and ISO text on SQLite: read both.


def _time(value: Any) -> time:
    parsed = value if isinstance(value, time) else parse_time(str(value))
    assert parsed is not None
    return parsed


def _time_or_none(value: Any) -> time | None:
    return None if value is None else _time(value)


def _date(value: Any) -> date:
    parsed = value if isinstance(value, date) else parse_date(str(value))
    assert parsed is not None
    return parsed


def _moment(value: Any) -> datetime:
    parsed = value if isinstance(value, datetime) else parse_datetime(str(value))
    assert parsed is not None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
