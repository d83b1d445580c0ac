"""The booking lifecycle: one table of allowed transitions and the one function that moves.

```
            ┌──────────── waitlisted ──(place frees)──┐
 request ───┤                                         ▼
            └──► pending ──(approve / pay)──► confirmed ──(start)──► in_progress ─(end)─► completed
                   │                              │   └──(provider)──► no_show
                   └──(deadline passes)──► expired └──(customer/provider, per policy)──► cancelled
```
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from itertools import groupby
from typing import Any

from tessera.core.clock import utcnow

from .domain_events import booking_event_write, booking_events_write, event_type_for
from .errors import IllegalTransition
from .kinds import kind_ops
from .models import Booking, BookingStatus, BookingStatusChange

S = BookingStatus

TRANSITIONS: dict[str, frozenset[str]] = {
    S.WAITLISTED: frozenset({S.PENDING, S.CONFIRMED, S.CANCELLED, S.EXPIRED}),
    S.PENDING: frozenset({S.CONFIRMED, S.DECLINED, S.CANCELLED, S.EXPIRED}),
    S.CONFIRMED: frozenset({S.IN_PROGRESS, S.COMPLETED, S.CANCELLED, S.NO_SHOW}),
    S.IN_PROGRESS: frozenset({S.COMPLETED, S.NO_SHOW}),
    # A provider may still say nobody came after the background job completed it (the service
    # bounds it: NO_SHOW_WINDOW_HOURS after its end).
    S.COMPLETED: frozenset({S.NO_SHOW}),
    S.CANCELLED: frozenset(),
    S.DECLINED: frozenset(),
    S.EXPIRED: frozenset(),
    S.NO_SHOW: frozenset(),
}


def can_transition(from_status: str, to_status: str) -> bool:
    return to_status in TRANSITIONS.get(from_status, frozenset())


def booking_created_row(
    *, booking: Booking, actor: Any, reason: str = "", now: datetime | None = None
) -> BookingStatusChange:
    """The first history row of a new booking (from nothing to its initial status), unsaved:
    for writers that insert it together with the booking."""
    return BookingStatusChange(
        booking=booking,
        from_status="",
        to_status=booking.status,
        actor=actor if getattr(actor, "pk", None) else None,
        reason=reason,
        at=now or utcnow(),
    )


def booking_record_created(
    *, booking: Booking, actor: Any, reason: str = "", now: datetime | None = None
) -> BookingStatusChange:
    """The first history row of a new booking (from nothing to its initial status)."""
    row = booking_created_row(booking=booking, actor=actor, reason=reason, now=now)
    row.save(force_insert=True)
    booking_created_publish(booking=booking, now=now)
    return row


def booking_created_publish(*, booking: Booking, now: datetime | None = None) -> None:
    """Write the event of a new booking (`booking.created` for a pending request,
    `booking.confirmed`, `booking.waitlisted`). Caller: the transaction that inserted it."""
    booking_event_write(
        booking=booking,
        event_type=event_type_for(from_status="", to_status=booking.status),
        now=now,
    )


def booking_transition(
    *,
    booking: Booking,
    to: str,
    actor: Any,
    reason: str = "",
    now: datetime | None = None,
    extra_fields: dict[str, Any] | None = None,
    event_extra: dict[str, Any] | None = None,
) -> Booking:
    """Move a booking to status `to`, or raise `IllegalTransition` (409).

    The caller holds the booking's row lock (or created it in this transaction): this function
    checks, saves the changed fields, lets the booking's kind keep what it holds in step
    (`kinds.KindOps.follow_status`), writes the history row and the domain event (outbox, same
    transaction: `domain_events.event_type_for`). `event_extra`: keys added to the domain event
    (e.g. `offer` of a promotion).

    It promotes nobody: a service whose change frees a place calls
    `promotion.waitlist_promote_after_freed` next, by name.
    """
    now = now or utcnow()
    if not can_transition(booking.status, to):
        raise IllegalTransition(
            f"A {booking.status} booking cannot become {to}.",
            from_status=booking.status,
            to_status=to,
        )
    from_status = booking.status
    booking.status = to
    fields = ["status", "updated_at"]
    if to == S.CANCELLED:
        booking.cancelled_at = now
        booking.cancelled_by = actor if getattr(actor, "pk", None) else None
        booking.cancel_reason = reason[:255]
        fields += ["cancelled_at", "cancelled_by", "cancel_reason"]
    for name, value in (extra_fields or {}).items():
        setattr(booking, name, value)
        fields.append(name)
    booking.save(update_fields=fields)
    kind_ops(booking.kind).follow_status(booking, from_status, to)
    BookingStatusChange.objects.create(
        booking=booking,
        from_status=from_status,
        to_status=to,
        actor=actor if getattr(actor, "pk", None) else None,
        reason=reason[:255],
        at=now,
    )
    booking_event_write(
        booking=booking,
        event_type=event_type_for(from_status=from_status, to_status=to),
        reason=reason,
        now=now,
        extra=event_extra,
    )
    return booking


def booking_transition_batch(
    *, bookings: Sequence[Booking], to: str, reason: str = "", now: datetime | None = None
) -> list[Booking]:
    """`booking_transition` for many bookings at once, by the system (no actor): the same
    checks, kinds' `follow_status_many`, history rows and outbox events, in a fixed number of
    statements per group of bookings leaving the same status (for the time-driven jobs, which
    call `promotion.waitlist_promote_after_freed_many` next).

    The caller holds every booking's row lock in its transaction. All or nothing: one booking
    that may not move raises `IllegalTransition` before anything is written.
    """
    now = now or utcnow()
    for booking in bookings:
        if not can_transition(booking.status, to):
            raise IllegalTransition(
                f"A {booking.status} booking cannot become {to}.",
                from_status=booking.status,
                to_status=to,
            )
    ordered = sorted(bookings, key=lambda b: (b.status, b.pk))
    for from_status, group in groupby(ordered, key=lambda b: b.status):
        _move_group(list(group), from_status, to, reason, now)
    return list(bookings)


def _move_group(
    bookings: list[Booking], from_status: str, to: str, reason: str, now: datetime
) -> None:
    Booking.objects.filter(pk__in=[b.pk for b in bookings]).update(status=to, updated_at=now)
    for booking in bookings:
        booking.status, booking.updated_at = to, now
    for kind in sorted({b.kind for b in bookings}):
        kind_ops(kind).follow_status_many([b for b in bookings if b.kind == kind], from_status, to)
    BookingStatusChange.objects.bulk_create(
        BookingStatusChange(
            booking=b, from_status=from_status, to_status=to, reason=reason[:255], at=now
        )
        for b in bookings
    )
    booking_events_write(
        bookings=bookings,
        event_type=event_type_for(from_status=from_status, to_status=to),
        reason=reason,
        now=now,
    )
