"""The free-slot picker: a month calendar and the slots of one day, in a named time zone.

It reads availability with the same selector as the API (`availability_slots`, one query for
the month) and only arranges it for a page: days are free, full (open, but every slot taken:
a waiting list can be joined), closed or past, in the zone the visitor reads times in.
"""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from tessera.bookings.selectors.availability import availability_slots
from tessera.scheduling.domain.localtime import local_to_utc
from tessera.scheduling.models import Resource
from tessera.scheduling.selectors.times import default_duration, slot_step


@dataclass(frozen=True)
class SlotChoice:
    start: datetime  # UTC
    end: datetime
    places_left: int

    @property
    def full(self) -> bool:
        return self.places_left <= 0


@dataclass(frozen=True)
class DayCell:
    day: date
    in_month: bool
    state: str  # "free", "full", "closed" or "past"
    free_slots: int = 0


@dataclass
class Picker:
    zone: ZoneInfo
    zone_is_resource: bool
    month: date  # its first day
    today: date
    duration: int  # minutes
    weeks: list[list[DayCell]] = field(default_factory=list)
    selected: date | None = None
    slots: list[SlotChoice] = field(default_factory=list)

    @property
    def previous_month(self) -> date | None:
        earlier = (self.month - timedelta(days=1)).replace(day=1)
        return earlier if earlier >= self.today.replace(day=1) else None

    @property
    def next_month(self) -> date:
        return (self.month + timedelta(days=32)).replace(day=1)


def month_of(value: str | None, today: date) -> date:
    """`YYYY-MM` from a query string, or this month; never a month before this one."""
    try:
        year, month = (int(part) for part in (value or "").split("-"))
        chosen = date(year, month, 1)
    except ValueError:
        return today.replace(day=1)
    return max(chosen, today.replace(day=1))


def build_picker(
    *,
    resources: Sequence[Resource],
    zone: ZoneInfo,
    zone_is_resource: bool,
    month: date,
    selected: date | None,
    now: datetime,
    exclude_booking_id: int | None = None,
) -> Picker:
    """The month around `month` and the slots of `selected` (default: its first free day)."""
    today = now.astimezone(zone).date()
    duration = max(default_duration(r) for r in resources)
    step = max(slot_step(r, duration) for r in resources)
    first = local_to_utc(datetime.combine(month, time(0)), zone)
    following = (month + timedelta(days=32)).replace(day=1)
    last = local_to_utc(datetime.combine(following, time(0)), zone)
    slots = availability_slots(
        resources=resources,
        start=max(first, now),
        end=last,
        duration=timedelta(minutes=duration),
        step=timedelta(minutes=step),
        now=now,
        include_full=True,
        exclude_booking_id=exclude_booking_id,
    )
    by_day: dict[date, list[SlotChoice]] = {}
    for slot in slots:
        day = slot.start.astimezone(zone).date()
        by_day.setdefault(day, []).append(SlotChoice(slot.start, slot.end, slot.places_left))
    picker = Picker(
        zone=zone, zone_is_resource=zone_is_resource, month=month, today=today, duration=duration
    )
    for week in calendar.Calendar(firstweekday=0).monthdatescalendar(month.year, month.month):
        picker.weeks.append([_cell(day, month, today, by_day.get(day, [])) for day in week])
    if selected is None or selected.replace(day=1) != month:
        selected = next((d for d in sorted(by_day) if any(not s.full for s in by_day[d])), None)
    picker.selected = selected
    picker.slots = by_day.get(selected, []) if selected else []
    return picker


def _cell(day: date, month: date, today: date, slots: list[SlotChoice]) -> DayCell:
    in_month = day.month == month.month
    if day < today:
        return DayCell(day, in_month, "past")
    free = sum(1 for s in slots if not s.full)
    if free:
        return DayCell(day, in_month, "free", free)
    return DayCell(day, in_month, "full" if slots else "closed")
