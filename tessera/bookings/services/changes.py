"""Changes of a booking that are not status changes: its notes, and its time (reschedule)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.db import IntegrityError, OperationalError, transaction
from django.db.models import F

from tessera.core.clock import utcnow
from tessera.core.errors import Conflict, LockTimeout
from tessera.core.locking import is_lock_failure
from tessera.scheduling.cache import availability_changed

from ..access import is_manager
from ..db import is_overlap_violation
from ..domain_events import booking_event_write
from ..errors import BookingRefused, NotLive
from ..models import LIVE_STATUSES, Booking, BookingStatus, BookingStatusChange, TimeAllocation
from .checks import ensure_time_free, lock_resources, request_span
from .status import _locked_for_change, ensure_before_deadline

MAX_NOTES = 5000


def booking_notes_update(*, booking_id: int, actor: Any, notes: str) -> Booking:
    """Replace the notes (the customer, the owners, staff)."""
    with transaction.atomic():
        booking = _locked_for_change(booking_id=booking_id, actor=actor)
        booking.notes = notes
        booking.save(update_fields=["notes", "updated_at"])
    return booking


def booking_reschedule(
    *,
    booking_id: int,
    actor: Any,
    start: datetime,
    end: datetime | None = None,
    duration: int | None = None,
    now: datetime | None = None,
) -> Booking:
    """Move a live booking to [start, end), atomically: the new time is checked and taken in
    the same transaction that gives up the old one, so a refused move (409 with the reason's
    code) leaves the booking where it was. With neither end nor duration it keeps its length.

    A customer is bound by the cancellation deadline (of the old time) and by notice and advance
    (of the new); a booking that needed approval is moved only by its owners or staff.
    """
    now = now or utcnow()
    try:
        with transaction.atomic():
            booking = _locked_for_change(booking_id=booking_id, actor=actor)
            if booking.status not in LIVE_STATUSES:
                raise NotLive(booking_status=booking.status)
            allocations = list(TimeAllocation.objects.filter(booking=booking).order_by("pk"))
            if not allocations:
                raise Conflict("This booking holds no time to move.", code="not_time_booking")
            managed = is_manager(actor, booking)
            ensure_before_deadline(booking=booking, actor=actor, now=now)
            resources = lock_resources(resource_ids=[a.resource_id for a in allocations])
            if not managed and any(r.approval_required for r in resources):
                raise Conflict(
                    "This booking needed the owner's approval; ask them to move it.",
                    code="approval_required",
                )
            if end is None and duration is None:
                duration = int((booking.ends_at - booking.starts_at).total_seconds() // 60)
            start, end = request_span(start=start, end=end, duration=duration, resources=resources)
            ensure_time_free(
                resources=resources,
                start=start,
                end=end,
                now=now,
                enforce_notice=not managed,
                exclude_booking_id=booking.pk,
            )
            return _move(booking, allocations, resources, start, end, actor, now)
    except IntegrityError as exc:
        if is_overlap_violation(exc):
            raise BookingRefused("That time is already taken.", code="slot_unavailable") from exc
        raise
    except OperationalError as exc:
        if is_lock_failure(exc):
            raise LockTimeout() from exc
        raise


def _move(
    booking: Booking,
    allocations: list[TimeAllocation],
    resources: list[Any],
    start: datetime,
    end: datetime,
    actor: Any,
    now: datetime,
) -> Booking:
    by_id = {r.pk: r for r in resources}
    old = f"{booking.starts_at.isoformat()}/{booking.ends_at.isoformat()}"
    for allocation in allocations:
        resource = by_id[allocation.resource_id]
        allocation.starts_at, allocation.ends_at = start, end
        allocation.occupied_from = start - timedelta(minutes=resource.buffer_before)
        allocation.occupied_to = end + timedelta(minutes=resource.buffer_after)
    TimeAllocation.objects.bulk_update(
        allocations, ["starts_at", "ends_at", "occupied_from", "occupied_to"]
    )
    availability_changed(resource_ids=by_id)
    booking.starts_at, booking.ends_at = start, end
    fields = ["starts_at", "ends_at", "updated_at"]
    if booking.status == BookingStatus.PENDING and booking.confirm_deadline:
        booking.confirm_deadline = min(booking.confirm_deadline, start)
        fields.append("confirm_deadline")
    booking.save(update_fields=fields)
    # Not a status change, but worth the same audit trail: from = to, the reason says what.
    BookingStatusChange.objects.create(
        booking=booking,
        from_status=booking.status,
        to_status=booking.status,
        actor=actor if getattr(actor, "pk", None) else None,
        reason=f"rescheduled from {old}"[:255],
        at=now,
    )
    moves = BookingStatusChange.objects.filter(booking=booking, from_status=F("to_status"))
    booking_event_write(
        booking=booking,
        event_type="booking.changed",
        now=now,
        extra={"sequence": moves.count(), "previous": old},
    )
    return booking


def booking_update(
    *,
    booking_id: int,
    actor: Any,
    notes: str | None = None,
    start: datetime | None = None,
    end: datetime | None = None,
    duration: int | None = None,
    status: str | None = None,
    reason: str = "",
    now: datetime | None = None,
) -> Booking:
    """What `PUT`/`PATCH /api/bookings/<id>/` asks, in one transaction: notes, then the move,
    then the status change (through the same services as their own endpoints)."""
    from .status import booking_set_status

    now = now or utcnow()
    with transaction.atomic():
        booking = None
        if notes is not None:
            booking = booking_notes_update(booking_id=booking_id, actor=actor, notes=notes)
        if start is not None:
            booking = booking_reschedule(
                booking_id=booking_id, actor=actor, start=start, end=end, duration=duration, now=now
            )
        if status is not None:
            booking = booking_set_status(
                booking_id=booking_id, actor=actor, status=status, reason=reason, now=now
            )
    assert booking is not None, "booking_update needs something to change"
    return booking
