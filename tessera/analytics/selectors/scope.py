"""Who may count what, and over which window.

A provider counts the bookings on the resources they own, an organizer those on the shows of
their events, a user with both roles both; staff count everything. A customer (or anyone with
neither role) is refused with `analytics_forbidden` (403). The filters are subqueries
(`Exists`), never joins, so a gig holding two of a provider's resources is counted once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Exists, OuterRef, Q, QuerySet

from tessera.accounts.access import has_role, is_staff
from tessera.accounts.roles import Role
from tessera.bookings.models import Booking, TimeAllocation
from tessera.core.errors import PermissionDenied, ValidationFailed
from tessera.events.models import Show, TicketBooking
from tessera.scheduling.domain.localtime import local_to_utc
from tessera.scheduling.models import Resource

MAX_WINDOW_DAYS = 366


@dataclass(frozen=True)
class Scope:
    """`owner_id` None means everything (staff)."""

    owner_id: int | None
    resources: bool = True
    shows: bool = True


@dataclass(frozen=True)
class Window:
    """Local dates `first`..`last` (both included) in `zone`, and the UTC instants they span."""

    first: date
    last: date
    zone: ZoneInfo

    @property
    def start(self) -> datetime:
        return local_to_utc(datetime.combine(self.first, time(0)), self.zone)

    @property
    def end(self) -> datetime:
        return local_to_utc(datetime.combine(self.last + timedelta(days=1), time(0)), self.zone)


def analytics_window(*, first: date, last: date, zone: ZoneInfo) -> Window:
    """A checked window: `last` not before `first`, at most a year (`window_too_long`)."""
    if last < first:
        raise ValidationFailed(
            "end must not be before start.", code="end_before_start", field="end"
        )
    if (last - first).days + 1 > MAX_WINDOW_DAYS:
        raise ValidationFailed(
            f"Ask for at most {MAX_WINDOW_DAYS} days at a time.",
            code="window_too_long",
            field="end",
        )
    return Window(first=first, last=last, zone=zone)


def analytics_scope(*, actor: Any) -> Scope:
    """What the actor may count; `analytics_forbidden` (403) for a customer."""
    if is_staff(actor):
        return Scope(owner_id=None)
    provider, organizer = has_role(actor, Role.PROVIDER), has_role(actor, Role.ORGANIZER)
    if not (provider or organizer):
        raise PermissionDenied(
            "Analytics are for providers, organizers and staff.", code="analytics_forbidden"
        )
    return Scope(owner_id=actor.pk, resources=provider, shows=organizer)


def scoped_resources(scope: Scope) -> QuerySet[Resource]:
    if scope.owner_id is None:
        return Resource.objects.all()
    if not scope.resources:
        return Resource.objects.none()
    return Resource.objects.filter(owner_id=scope.owner_id)


def scoped_shows(scope: Scope) -> QuerySet[Show]:
    if scope.owner_id is None:
        return Show.objects.all()
    if not scope.shows:
        return Show.objects.none()
    return Show.objects.filter(event__owner_id=scope.owner_id)


def scoped_bookings(scope: Scope) -> QuerySet[Booking]:
    """The bookings holding something the scope owns (one row per booking)."""
    if scope.owner_id is None:
        return Booking.objects.all()
    held = Q(pk__in=[])
    if scope.resources:
        on_resources = TimeAllocation.objects.filter(
            booking=OuterRef("pk"), resource__owner_id=scope.owner_id
        )
        held |= Q(Exists(on_resources))
    if scope.shows:
        at_shows = TicketBooking.objects.filter(
            booking=OuterRef("pk"), show__event__owner_id=scope.owner_id
        )
        held |= Q(Exists(at_shows))
    return Booking.objects.filter(held)
