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

from collections.abc import Callable
from datetime import datetime
from typing import Any

from tessera.core.clock import utcnow

from .domain_events import booking_event_write, event_type_for
from .errors import IllegalTransition
from .models import Booking, BookingStatus, BookingStatusChange
from .waitlist import waitlist_promote_after_freed

S = BookingStatus

TRANSITIONS: dict[str, frozenset[str]] = {
    S.WAITLISTED: frozenset({S.PENDING, S.CONFIRMED, S.CANCELLED, S.EXPIRED}),
    S.PENDING: frozenset({S.CONFIRMED, S.DECLINED, S.CANCELLED, S.EXPIRED}),
    S.CONFIRMED: frozenset({S.IN_PROGRESS, S.COMPLETED, S.CANCELLED, S.NO_SHOW}),
    S.IN_PROGRESS: frozenset({S.COMPLETED, S.NO_SHOW}),
    S.COMPLETED: frozenset(),
    S.CANCELLED: frozenset(),
    S.DECLINED: frozenset(),
    S.EXPIRED: frozenset(),
    S.NO_SHOW: frozenset(),
}


# Called inside the transaction of every status change, as hook(booking, from_status, to_status).
# The apps that hold what a booking occupies (time allocations, seats, places) register one to
# keep their own rows in step, e.g. to release seats when a booking stops being live.
StatusHook = Callable[[Booking, str, str], None]
_status_hooks: list[StatusHook] = []


def register_status_hook(hook: StatusHook) -> None:
    if hook not in _status_hooks:
        _status_hooks.append(hook)


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
) -> Booking:
    """Move a booking to status `to`, or raise `IllegalTransition` (409).

    The caller holds the booking's row lock (or created it in this transaction): this function
    checks, saves the changed fields, runs the status hooks, writes the history row and the
    domain event (outbox, same transaction: `domain_events.event_type_for`). A booking that
    stops being live makes room for the waiting list: the entries promoted (in this
    transaction) are listed in `booking.promoted_booking_ids`.
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
    for hook in _status_hooks:
        hook(booking, from_status, to)
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
    )
    booking.promoted_booking_ids = waitlist_promote_after_freed(
        freed=booking, from_status=from_status, to_status=to, now=now
    )
    return booking
