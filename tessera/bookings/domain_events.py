"""Every booking change writes its domain event to the outbox, in the transaction of the change
(DESIGN invariant 4). This module is the one place that builds and publishes those events.

`lifecycle.booking_transition` and `lifecycle.booking_created_publish` call
`booking_event_write`; reschedules and reminders call it directly. The event is the dict of
`docs/notifications.md`: the header's fields, plus what the app that holds the booking knows
(title, location, time zone, who else to tell), from the booking's kind
(`kinds.KindOps.describe`). `notifications` imports nothing of ours: we call it.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from .kinds import kind_ops
from .models import Booking, BookingStatus

S = BookingStatus

# The event of a status change, by the status reached (promotions are told apart by the status
# left: a waitlisted booking reaching pending or confirmed was promoted).
TRANSITION_EVENTS: dict[str, str] = {
    S.PENDING: "booking.created",
    S.CONFIRMED: "booking.confirmed",
    S.CANCELLED: "booking.cancelled",
    S.DECLINED: "booking.declined",
    S.EXPIRED: "booking.expired",
    S.WAITLISTED: "booking.waitlisted",
    S.IN_PROGRESS: "booking.started",
    S.COMPLETED: "booking.completed",
    S.NO_SHOW: "booking.no_show",
}


def event_type_for(*, from_status: str, to_status: str) -> str:
    """The event type of a change from `from_status` ("" for a new booking) to `to_status`."""
    if from_status == S.WAITLISTED and to_status in (S.PENDING, S.CONFIRMED):
        return "booking.promoted"
    return TRANSITION_EVENTS[to_status]


def booking_event_build(
    *, booking: Booking, event_type: str, reason: str = "", extra: dict[str, Any] | None = None
) -> dict[str, Any]:
    """The event dict of `booking` as it is now (the caller has saved the change)."""
    return booking_events_build(
        bookings=[booking], event_type=event_type, reason=reason, extra=extra
    )[0]


def booking_events_build(
    *,
    bookings: Sequence[Booking],
    event_type: str,
    reason: str = "",
    extra: dict[str, Any] | None = None,
) -> list[dict[str, Any]]:
    """The event dicts of `bookings` (one `describe` per kind present)."""
    described: dict[int, dict[str, Any]] = {}
    for kind in {b.kind for b in bookings}:
        described.update(kind_ops(kind).describe([b for b in bookings if b.kind == kind]))
    return [
        _event(booking, event_type, reason, described.get(booking.pk, {}), extra)
        for booking in bookings
    ]


def _event(
    booking: Booking,
    event_type: str,
    reason: str,
    described: dict[str, Any],
    extra: dict[str, Any] | None,
) -> dict[str, Any]:
    event: dict[str, Any] = {
        "type": event_type,
        "booking_id": booking.pk,
        "reference": booking.reference,
        "customer_id": booking.customer_id,
        "kind": booking.kind,
        "status": booking.status,
        "starts_at": booking.starts_at,
        "ends_at": booking.ends_at,
        "confirm_deadline": booking.confirm_deadline if booking.status == S.PENDING else None,
        "price": str(booking.price) if booking.price is not None else None,
        "currency": booking.currency or None,
        "reason": reason or None,
    }
    if booking.status == S.WAITLISTED:
        event.update(_waitlist_keys(booking))
    event.update(described)
    if "notify_user_ids" in event:
        event["notify_user_ids"] = sorted(
            {i for i in event["notify_user_ids"] if i != booking.customer_id}
        )
    event.update(extra or {})
    return event


def _waitlist_keys(booking: Booking) -> dict[str, Any]:
    from .selectors.bookings import waitlist_position_of

    return waitlist_position_of(booking=booking) or {}


def booking_event_write(
    *,
    booking: Booking,
    event_type: str,
    reason: str = "",
    dedup_key: str | None = None,
    now: datetime | None = None,
    extra: dict[str, Any] | None = None,
) -> None:
    """Publish the event of a change in the caller's transaction (it commits or rolls back
    with the change). With a `dedup_key` already published, nothing is written."""
    from tessera.notifications.services import booking_event_publish

    booking_event_publish(
        event=booking_event_build(
            booking=booking, event_type=event_type, reason=reason, extra=extra
        ),
        dedup_key=dedup_key,
        now=now,
    )


def booking_events_write(
    *, bookings: Sequence[Booking], event_type: str, reason: str = "", now: datetime | None = None
) -> None:
    """Publish the same change of many bookings (a batch job) in one insert, in the caller's
    transaction."""
    from tessera.notifications.services import booking_events_publish

    booking_events_publish(
        events=booking_events_build(bookings=bookings, event_type=event_type, reason=reason),
        now=now,
    )
