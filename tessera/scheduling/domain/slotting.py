"""Open slots and booking checks: a pure function of a resource's rules and its busy ranges.

Inputs are plain data (`ResourceTimes`); nothing here reads the database or the clock, so the
same function answers "which slots are free this month" and "may this booking be made", and
the property tests can run it over any time zone and daylight-saving change.

- Open time = (weekly hours + extra openings) - closures, in the resource's local time, turned
  into UTC day by day (so 9:00 local stays 9:00 local across a DST change).
- A slot or booking [start, end) must lie inside open time; its *occupied* range
  [start - buffer_before, end + buffer_after) must overlap fewer than `capacity` busy ranges at
  every instant (busy ranges are the occupied ranges of live bookings, buffers included).
- Minimum notice and maximum advance bound the start.
- Slots start on a grid of `step` anchored at the start of each open interval.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from . import intervals as iv
from .localtime import local_to_utc

MINUTE = 60
DAY = 86_400


@dataclass(frozen=True)
class WeeklyRange:
    weekday: int  # Monday = 0
    start: time
    end: time  # not after start: the range ends the next day


@dataclass(frozen=True)
class LocalSpan:
    """A dated span of local wall time (naive datetimes in the resource's zone)."""

    start: datetime
    end: datetime


@dataclass(frozen=True)
class Rules:
    capacity: int = 1
    buffer_before: int = 0  # minutes
    buffer_after: int = 0  # minutes
    min_notice: int = 0  # minutes
    max_advance: int | None = None  # days; None = no limit


@dataclass(frozen=True)
class ResourceTimes:
    """Everything slotting needs about one resource for one window."""

    resource_id: int
    tz: ZoneInfo
    rules: Rules
    weekly: Sequence[WeeklyRange] = ()
    closures: Sequence[LocalSpan] = ()
    openings: Sequence[LocalSpan] = ()
    busy: Sequence[tuple[datetime, datetime]] = ()  # occupied ranges of live bookings (UTC)
    _occupancy: iv.Occupancy | None = field(default=None, compare=False, repr=False)

    def occupancy(self) -> iv.Occupancy:
        if self._occupancy is None:
            occupancy = iv.Occupancy((_ts(s), _ts(e), 1) for s, e in self.busy)
            object.__setattr__(self, "_occupancy", occupancy)
        return self._occupancy  # type: ignore[return-value]


@dataclass(frozen=True)
class Slot:
    start: datetime
    end: datetime
    places_left: int


@dataclass(frozen=True)
class Refusal:
    """Why a booking may not be made: a stable code, a message, and the resource concerned."""

    code: str
    message: str
    resource_id: int


def _ts(moment: datetime) -> int:
    return int(moment.timestamp())


def _dt(seconds: int) -> datetime:
    return datetime.fromtimestamp(seconds, tz=UTC)


def open_intervals(times: ResourceTimes, start: datetime, end: datetime) -> list[iv.Interval]:
    """Open time (UTC seconds) of one resource around [start, end), sorted and disjoint.

    The result may reach a day beyond the window on either side (weekly ranges are expanded per
    local date), which is what lets a slot or booking near the window's edge be judged whole.
    """
    tz = times.tz
    first_day = start.astimezone(tz).date() - timedelta(days=1)
    last_day = end.astimezone(tz).date() + timedelta(days=1)
    by_weekday: dict[int, list[WeeklyRange]] = {}
    for weekly in times.weekly:
        by_weekday.setdefault(weekly.weekday, []).append(weekly)
    spans: list[iv.Interval] = []
    day = first_day
    while day <= last_day:
        for weekly in by_weekday.get(day.weekday(), ()):
            spans.append(_local_range(day, weekly, tz))
        day += timedelta(days=1)
    spans.extend(_span(span, tz) for span in times.openings)
    opened = iv.merge(spans)
    closed = iv.merge(_span(span, tz) for span in times.closures)
    return iv.subtract(opened, closed)


def _local_range(day: date, weekly: WeeklyRange, tz: ZoneInfo) -> iv.Interval:
    end_day = day if weekly.end > weekly.start else day + timedelta(days=1)
    local_start = datetime.combine(day, weekly.start)
    local_end = datetime.combine(end_day, weekly.end)
    return _ts(local_to_utc(local_start, tz)), _ts(local_to_utc(local_end, tz))


def _span(span: LocalSpan, tz: ZoneInfo) -> iv.Interval:
    return _ts(local_to_utc(span.start, tz)), _ts(local_to_utc(span.end, tz))


def _start_bounds(times: ResourceTimes, now: datetime) -> tuple[int, int | None]:
    earliest = _ts(now) + times.rules.min_notice * MINUTE
    advance = times.rules.max_advance
    latest = None if advance is None else _ts(now) + advance * DAY
    return earliest, latest


def _places_left(times: ResourceTimes, start: int, end: int) -> int:
    rules = times.rules
    peak = times.occupancy().peak(
        start - rules.buffer_before * MINUTE, end + rules.buffer_after * MINUTE
    )
    return rules.capacity - peak


def free_slots(
    resources: Sequence[ResourceTimes],
    *,
    start: datetime,
    end: datetime,
    duration: timedelta,
    step: timedelta,
    now: datetime,
    include_full: bool = False,
) -> Iterator[Slot]:
    """Slots of `duration` starting in [start, end) when every one of `resources` is free.

    One resource: its open slots. Several (a gig): the times open for all of them, each with
    room for one more booking; `places_left` is the smallest of theirs. `include_full` also
    yields the open slots with no room left (`places_left` <= 0: what a waiting list is for).
    """
    if not resources or duration <= timedelta(0) or step <= timedelta(0) or end <= start:
        return
    length = int(duration.total_seconds())
    stride = int(step.total_seconds())
    common = open_intervals(resources[0], start, end)
    for times in resources[1:]:
        common = iv.intersect(common, open_intervals(times, start, end))
    bounds = [_start_bounds(times, now) for times in resources]
    earliest = max([_ts(start), *(b[0] for b in bounds)])
    latests = [b[1] for b in bounds if b[1] is not None]
    latest = min([_ts(end) - 1, *latests])
    # Per resource, once: (capacity, buffer before, buffer after in seconds, occupancy).
    checks = [
        (
            times.rules.capacity,
            times.rules.buffer_before * MINUTE,
            times.rules.buffer_after * MINUTE,
            times.occupancy(),
        )
        for times in resources
    ]
    for open_start, open_end in common:
        slot = open_start
        if slot < earliest:
            slot += -(-(earliest - open_start) // stride) * stride
        while slot + length <= open_end and slot <= latest:
            places = min(
                capacity - occupancy.peak(slot - before, slot + length + after)
                for capacity, before, after, occupancy in checks
            )
            if places > 0 or include_full:
                yield Slot(_dt(slot), _dt(slot + length), max(places, 0))
            slot += stride


def check_booking(
    resources: Sequence[ResourceTimes],
    *,
    start: datetime,
    end: datetime,
    now: datetime,
    enforce_notice: bool = True,
) -> Refusal | None:
    """Why [start, end) may not be booked on every one of `resources`, or None if it may.

    The checks run in this order, and the first that fails names the reason: notice
    (`too_late`), advance (`too_far_ahead`), open time (`outside_availability`), capacity
    (`slot_unavailable`). `enforce_notice=False` skips the first two (the owner or staff book).
    """
    begin, finish = _ts(start), _ts(end)
    for times in resources:
        earliest, latest = _start_bounds(times, now)
        if enforce_notice and begin < earliest:
            if begin < _ts(now):
                return Refusal("too_late", "That time has already begun.", times.resource_id)
            return Refusal(
                "too_late",
                f"Bookings must be made at least {times.rules.min_notice} minutes ahead.",
                times.resource_id,
            )
        if enforce_notice and latest is not None and begin > latest:
            return Refusal(
                "too_far_ahead",
                f"Bookings may be made at most {times.rules.max_advance} days ahead.",
                times.resource_id,
            )
    for times in resources:
        if not iv.covers(open_intervals(times, start, end), begin, finish):
            return Refusal(
                "outside_availability",
                "The resource is not open for the whole of that time.",
                times.resource_id,
            )
    for times in resources:
        if _places_left(times, begin, finish) <= 0:
            return Refusal(
                "slot_unavailable",
                "That time is already taken.",
                times.resource_id,
            )
    return None
