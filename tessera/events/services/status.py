"""Keeps a ticket booking's claims in step with its status (a `bookings.lifecycle` hook).

A booking that stops being live (cancelled, expired, declined, completed, ...) frees its seats
and places in the same transaction as the status change: its claims stay, marked not live, so
the booking still lists them. A booking that becomes live again (from the waitlist) takes them
back, or the transition fails with `seat_taken` / `capacity_exceeded`; one that waited for a
quantity of a reserved-seating show gets the best available seats then (`allotment.py`).
"""

from __future__ import annotations

from django.db import IntegrityError, transaction

from tessera.bookings.models import LIVE_STATUSES, TICKET_KINDS, Booking
from tessera.core.clock import utcnow

from ..errors import CapacityExceeded, SeatTaken
from ..locks import lock_show_for_sale
from ..models import SeatClaim, TicketBooking
from .allotment import seats_claim_best_available
from .claims import is_live_seat_conflict, places_taken, taken_seat_ids


def ticket_follow_status(booking: Booking, from_status: str, to_status: str) -> None:
    """Caller (`booking_transition`) holds the booking's lock inside its transaction."""
    if booking.kind not in TICKET_KINDS:
        return
    live = to_status in LIVE_STATUSES
    if (from_status in LIVE_STATUSES) == live:
        return
    if not live:
        TicketBooking.objects.filter(pk=booking.pk).update(is_live=False)
        SeatClaim.objects.filter(booking=booking).update(is_live=False)
        return
    _take_back(booking)


def _take_back(booking: Booking) -> None:
    ticket = TicketBooking.objects.select_related("show").get(pk=booking.pk)
    if ticket.show.is_reserved and not SeatClaim.objects.filter(booking=booking).exists():
        _allot(booking, ticket)  # waited for a quantity: its seats are chosen now
    elif ticket.show.is_reserved:
        try:
            with transaction.atomic():
                SeatClaim.objects.filter(booking=booking).update(is_live=True)
        except IntegrityError as exc:
            if not is_live_seat_conflict(exc):
                raise
            seat_ids = list(
                SeatClaim.objects.filter(booking=booking).values_list("seat_id", flat=True)
            )
            raise SeatTaken(
                "A seat of this booking has been sold meanwhile.",
                seat_ids=taken_seat_ids(show_id=ticket.show_id, seat_ids=seat_ids, now=utcnow()),
            ) from exc
    else:
        show = lock_show_for_sale(show_id=ticket.show_id)
        assert show is not None
        assert show.capacity is not None
        left = show.capacity - places_taken(show_id=show.pk, now=utcnow())
        if ticket.quantity > left:
            raise CapacityExceeded(places_left=max(left, 0), requested=ticket.quantity)
    TicketBooking.objects.filter(pk=booking.pk).update(is_live=True)


def _allot(booking: Booking, ticket: TicketBooking) -> None:
    """A reserved-seating booking from the waiting list gets the best available seats (of the
    category it asked for), or the promotion fails with `capacity_exceeded` and it waits on.
    The show's sale lock makes allotments one at a time (buyers of chosen seats are not held
    up: they meet an allotment at the unique index on live claims)."""
    from tessera.bookings.models import WaitlistEntry

    show = lock_show_for_sale(show_id=ticket.show_id)
    assert show is not None
    entry = WaitlistEntry.objects.filter(pk=booking.pk).first()
    _, price = seats_claim_best_available(
        show=show,
        booking=booking,
        quantity=ticket.quantity,
        category=entry.category if entry is not None else "",
        now=utcnow(),
    )
    booking.price = price
    Booking.objects.filter(pk=booking.pk).update(price=price)
