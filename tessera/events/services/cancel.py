"""Cancelling a show: its holds are released and every booking of it, live or waiting, is
cancelled, following the one lock order of `docs/concurrency.md`."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from tessera.accounts.access import ensure_can
from tessera.bookings.lifecycle import booking_transition
from tessera.bookings.locks import bookings_lock, bookings_lock_nowait
from tessera.bookings.models import LIVE_STATUSES, Booking, BookingStatus
from tessera.bookings.promotion import waitlist_promote_after_freed
from tessera.core.clock import utcnow

from ..errors import ShowStarted
from ..locks import lock_show_exclusive, ticket_transaction
from ..models import Hold, HoldState, SeatClaim, Show, ShowStatus


def show_cancel(*, show: Show, actor: Any, reason: str = "", now: datetime | None = None) -> Show:
    """Cancel a show that has not started: its holds are released and every live booking is
    cancelled (through the booking lifecycle, so each is recorded), and so is every booking
    waiting in its waiting list. Cancelling twice is a no-op.

    Lock order (`docs/concurrency.md`): the show's live bookings, then its waitlisted ones (each
    in pk order, waiting for a customer who is cancelling one), then the show itself: the same
    order as a customer's cancellation, which locks its booking, then the waitlisted candidates,
    then the show. Bookings sold between the first read and the show's lock are taken with
    `NOWAIT` (`lock_timeout`, retry, if someone holds one)."""
    now = now or utcnow()
    ensure_can(actor, "change", show)
    with ticket_transaction():
        seen = _show_bookings_lock(show_id=show.pk)
        locked = lock_show_exclusive(show_id=show.pk)
        assert locked is not None
        if locked.status == ShowStatus.CANCELLED:
            return locked
        if locked.starts_at <= now:
            raise ShowStarted(show_id=show.pk)
        locked.status = ShowStatus.CANCELLED
        locked.save(update_fields=["status", "updated_at"])
        holds = Hold.objects.filter(show=locked, state=HoldState.ACTIVE)
        SeatClaim.objects.filter(hold__in=holds).delete()
        holds.update(state=HoldState.RELEASED)
        bookings = Booking.objects.filter(
            ticket__show=locked, status__in=[*LIVE_STATUSES, BookingStatus.WAITLISTED]
        ).order_by("pk")
        late = [b.pk for b in bookings if b.pk not in seen]
        if late:
            bookings_lock_nowait(booking_ids=late)
        for booking in list(bookings):
            from_status = booking.status
            booking_transition(
                booking=booking,
                to=BookingStatus.CANCELLED,
                actor=actor,
                reason=reason or "The show was cancelled.",
                now=now,
            )
            # The show is cancelled now: its waiting list promotes nobody (asked all the same,
            # as every service that frees a place does).
            waitlist_promote_after_freed(
                freed=booking, from_status=from_status, to_status=BookingStatus.CANCELLED, now=now
            )
    return locked


def _show_bookings_lock(*, show_id: int) -> set[int]:
    """Lock the show's live bookings, then its waitlisted ones (pk order each); their ids."""
    of_show = Booking.objects.filter(ticket__show_id=show_id)
    live = list(of_show.filter(status__in=LIVE_STATUSES).values_list("pk", flat=True))
    waiting = list(of_show.filter(status=BookingStatus.WAITLISTED).values_list("pk", flat=True))
    bookings_lock(booking_ids=live)
    bookings_lock(booking_ids=waiting)
    return {*live, *waiting}
