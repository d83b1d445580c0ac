"""Time bookings (a slot of a resource, a gig): their row of the kinds table (`kinds.py`).

- `sync_allocations` (`follow_status`): a booking that stops being live frees its time at once
  (`is_live = False`); one that becomes live again (a waitlisted booking promoted) takes it
  back, after the same capacity check as a new booking.
- `on_capacity_change` (named by `scheduling.capacity`): a resource's capacity may not drop
  below the live bookings that overlap in the future; the `exclusive` flag the PostgreSQL
  exclusion constraint uses is kept equal to "capacity is 1" on future live allocations.
- `scope`/`owns`: the owner of a resource sees and manages the bookings on it.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Prefetch, Q

from tessera.core.clock import utcnow
from tessera.core.orm import prefetched
from tessera.scheduling.cache import availability_changed
from tessera.scheduling.domain.intervals import Occupancy
from tessera.scheduling.errors import CapacityBelowBookings
from tessera.scheduling.models import Resource

from .db import is_overlap_violation
from .models import LIVE_STATUSES, TIME_KINDS, Booking, TimeAllocation
from .waitlist import waitlist_gig_entries_on


def sync_allocations(booking: Booking, from_status: str, to_status: str) -> None:
    if booking.kind not in TIME_KINDS:
        return
    was_live, is_live = from_status in LIVE_STATUSES, to_status in LIVE_STATUSES
    if was_live == is_live:
        return
    _retire_cached_slots([booking])
    if is_live:
        from .services.checks import allocations_recheck

        allocations_recheck(booking=booking)
        _take_back(booking)
        return
    TimeAllocation.objects.filter(booking=booking).update(is_live=False)


def _take_back(booking: Booking) -> None:
    """Live again (promoted from a waiting list): the `exclusive` flag follows the resource's
    capacity now, which may have changed while the booking waited (the overlap constraint
    reads it)."""
    allocations = list(TimeAllocation.objects.filter(booking=booking).select_related("resource"))
    for allocation in allocations:
        allocation.is_live = True
        allocation.exclusive = allocation.resource.capacity == 1
    TimeAllocation.objects.bulk_update(allocations, ["is_live", "exclusive"])


def sync_allocations_batch(bookings: Sequence[Booking], from_status: str, to_status: str) -> None:
    """`sync_allocations` for many bookings leaving one status for another."""
    time_bookings = [b for b in bookings if b.kind in TIME_KINDS]
    was_live, is_live = from_status in LIVE_STATUSES, to_status in LIVE_STATUSES
    if not time_bookings or was_live == is_live:
        return
    _retire_cached_slots(time_bookings)
    if is_live:  # each must be re-checked against its resources
        for booking in time_bookings:
            sync_allocations(booking, from_status, to_status)
        return
    TimeAllocation.objects.filter(booking__in=[b.pk for b in time_bookings]).update(is_live=False)


def _retire_cached_slots(bookings: Sequence[Booking]) -> None:
    """The bookings take or free time: the cached free slots of their resources are stale."""
    resource_ids = TimeAllocation.objects.filter(booking__in=[b.pk for b in bookings]).values_list(
        "resource_id", flat=True
    )
    availability_changed(resource_ids=resource_ids)


def on_capacity_change(resource: Resource, old: int, new: int, now: datetime | None = None) -> None:
    """Caller holds the resource's row lock (so no booking of it is being made meanwhile)."""
    now = now or utcnow()
    future = TimeAllocation.objects.filter(resource=resource, is_live=True, occupied_to__gt=now)
    if new < old:
        ranges = future.values_list("occupied_from", "occupied_to")
        occupancy = Occupancy((int(s.timestamp()), int(e.timestamp()), 1) for s, e in ranges)
        peak = max(occupancy.levels, default=0)
        if peak > new:
            raise CapacityBelowBookings(
                f"{peak} live bookings overlap in the future; the capacity cannot go below that.",
                field="capacity",
                overlapping=peak,
            )
    try:
        with transaction.atomic():
            future.update(exclusive=new == 1)
    except IntegrityError as exc:  # a concurrent booking slipped in before the lock: refuse
        if is_overlap_violation(exc):
            raise CapacityBelowBookings(field="capacity") from exc
        raise


def _owns(user: Any, booking: Booking) -> bool:
    if booking.kind not in TIME_KINDS:
        return False
    cached = prefetched(booking, "allocations")
    if cached is not None:
        return any(a.resource.owner_id == user.pk for a in cached)
    return booking.allocations.filter(resource__owner=user).exists()


def _scope(user: Any) -> Q:
    return Q(
        Exists(TimeAllocation.objects.filter(booking=OuterRef("pk"), resource__owner_id=user.pk))
    )


def describe(bookings: Sequence[Booking]) -> dict[int, dict[str, Any]]:
    """The event keys of time bookings: their resources' names, zone and owners (one query,
    none when the bookings carry their allocations already, as a new booking does)."""
    by_booking: dict[int, list[Resource]] = {}
    unread = []
    for booking in bookings:
        cached = prefetched(booking, "allocations")
        if cached is None:
            unread.append(booking.pk)
            continue
        for allocation in sorted(cached, key=lambda a: a.resource_id):
            by_booking.setdefault(booking.pk, []).append(allocation.resource)
    rows = TimeAllocation.objects.filter(booking__in=unread).select_related("resource")
    for allocation in rows.order_by("booking_id", "resource_id") if unread else ():
        by_booking.setdefault(allocation.booking_id, []).append(allocation.resource)
    return {
        booking_id: {
            "title": ", ".join(r.name for r in resources)[:200],
            "timezone": resources[0].timezone,
            "notify_user_ids": [r.owner_id for r in resources],
        }
        for booking_id, resources in by_booking.items()
    }


def waitlist_candidates(booking: Booking) -> Q | None:
    """The waiting lists a freed time booking may make room for: slots of its resources that
    overlap the time it occupied, and gigs that need one of them then (a gig is promoted
    only if every participant is free: the fit check)."""
    where: Q | None = None
    rows = TimeAllocation.objects.filter(booking=booking).values_list(
        "resource_id", "occupied_from", "occupied_to"
    )
    for resource_id, occupied_from, occupied_to in rows:
        part = Q(
            list_key__startswith=f"time:{resource_id}:",
            booking__starts_at__lt=occupied_to,
            booking__ends_at__gt=occupied_from,
        ) | waitlist_gig_entries_on(
            resource_id=resource_id, occupied_from=occupied_from, occupied_to=occupied_to
        )
        where = part if where is None else where | part
    return where


def awaits_approval(booking: Booking) -> bool:
    """A time booking awaits approval while an allocation on a resource that needs it is not
    approved."""
    return TimeAllocation.objects.filter(booking=booking, approved=False).exists()


class TimeKind:
    """`KindOps` of time bookings (`kinds.KIND_OPS`: `time` and `gig`)."""

    follow_status = staticmethod(sync_allocations)
    follow_status_many = staticmethod(sync_allocations_batch)
    waitlist_where = staticmethod(waitlist_candidates)
    awaits_approval = staticmethod(awaits_approval)
    describe = staticmethod(describe)
    scope = staticmethod(_scope)
    owns = staticmethod(_owns)

    def output_prefetch(self) -> Sequence[Any]:
        return _OUTPUT_PREFETCH


_OUTPUT_PREFETCH = (
    Prefetch("allocations", queryset=TimeAllocation.objects.select_related("resource")),
)
TIME_KIND = TimeKind()
