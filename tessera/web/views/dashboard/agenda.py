"""The agenda of a provider's resources over local days: bookings per resource and day in the
resource's own zone, the day's waiting list apart, and which actions each booking allows."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_time
from django.conf import settings
from django.urls import reverse
from django.utils.translation import get_language, to_locale
from django.utils.translation import gettext as _

from tessera.bookings.models import BookingStatus, TimeAllocation
from tessera.bookings.selectors.agenda import agenda_for_owner
from tessera.scheduling.models import Resource

S = BookingStatus
# The widest offset from UTC of any zone: a query in UTC this much wider than the local days
# holds every booking of those days, whatever the resources' zones.
_ZONE_SLACK = timedelta(hours=14)


@dataclass
class Row:
    allocation: TimeAllocation
    when: str = (
        ""  # "9:00 AM to 9:30 AM" (an en dash) in the resource's zone and the page's language
    )
    customer: str = ""
    can_approve: bool = False
    can_no_show: bool = False
    actions: list[tuple[str, str, str]] = field(default_factory=list)  # (url, label, style)

    @property
    def booking(self) -> Any:
        return self.allocation.booking


@dataclass
class Day:
    day: date
    rows: list[Row] = field(default_factory=list)
    waiting: list[Row] = field(default_factory=list)


@dataclass
class ResourceAgenda:
    resource: Resource
    days: list[Day]

    @property
    def zone(self) -> str:
        return self.resource.timezone

    @property
    def is_empty(self) -> bool:
        return not any(d.rows or d.waiting for d in self.days)


def agenda_days(first: date, count: int) -> list[date]:
    return [first + timedelta(days=i) for i in range(count)]


def build_agenda(*, owner: Any, days: list[date], now: datetime) -> list[ResourceAgenda]:
    """Two queries: the owner's resources, then every allocation of the days on them."""
    resources = list(Resource.objects.filter(owner=owner).order_by("name", "pk"))
    by_resource = {
        r.pk: ResourceAgenda(resource=r, days=[Day(day=d) for d in days]) for r in resources
    }
    if not resources:
        return []
    locale = Locale.parse(to_locale(get_language() or "en"))  # parsed once, not per row
    zones = {r.pk: ZoneInfo(r.timezone) for r in resources}
    start = datetime.combine(days[0], time(0), tzinfo=UTC) - _ZONE_SLACK
    end = datetime.combine(days[-1] + timedelta(days=1), time(0), tzinfo=UTC) + _ZONE_SLACK
    for allocation in agenda_for_owner(owner=owner, start=start, end=end):
        agenda, tz = by_resource[allocation.resource_id], zones[allocation.resource_id]
        index = (allocation.starts_at.astimezone(tz).date() - days[0]).days
        if not 0 <= index < len(days):
            continue
        row = _row(allocation, now)
        row.when = "\u2013".join(
            format_time(moment, "short", tzinfo=tz, locale=locale)
            for moment in (allocation.starts_at, allocation.ends_at)
        )
        customer = row.booking.customer
        row.customer = customer.get_full_name() or customer.username
        row.actions = _actions(row)
        target = agenda.days[index]
        (target.waiting if row.booking.status == S.WAITLISTED else target.rows).append(row)
    for agenda in by_resource.values():
        for day in agenda.days:
            day.waiting.sort(key=lambda r: _position(r))
    return list(by_resource.values())


def _row(allocation: TimeAllocation, now: datetime) -> Row:
    booking = allocation.booking
    window = timedelta(hours=settings.TESSERA["NO_SHOW_WINDOW_HOURS"])
    started_live = booking.status in (S.CONFIRMED, S.IN_PROGRESS) and booking.starts_at <= now
    recent = booking.status == S.COMPLETED and now <= booking.ends_at + window
    return Row(
        allocation=allocation,
        can_approve=booking.status == S.PENDING and not allocation.approved,
        can_no_show=started_live or recent,
    )


def _actions(row: Row) -> list[tuple[str, str, str]]:
    """The buttons of a row: (form action, label, button style)."""
    pk = row.booking.pk
    actions = []
    if row.can_approve:
        actions += [
            (reverse("web:dashboard-approve", args=[pk]), _("Approve"), "btn-sm"),
            (reverse("web:dashboard-decline", args=[pk]), _("Decline"), "btn-secondary btn-sm"),
        ]
    if row.can_no_show:
        actions.append(
            (reverse("web:dashboard-no-show", args=[pk]), _("No-show"), "btn-ghost btn-sm")
        )
    return actions


def _position(row: Row) -> int:
    entry = getattr(row.booking, "waitlist_entry", None)
    return entry.position if entry is not None else 0
