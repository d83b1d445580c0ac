"""What a ticket booking's domain event says about its show, whom a freed ticket makes room for,
and whether it awaits the organizer (parts of `kind.TicketKind`)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db.models import Q

from tessera.bookings.models import Booking
from tessera.bookings.waitlist import waitlist_key_for_show

from .models import Show, ShowStatus, TicketBooking


def ticket_booking_describe(bookings: Sequence[Booking]) -> dict[int, dict[str, Any]]:
    """Title, place and zone of each booking's show, the organizer to tell, and the quantity
    (one query; none for bookings that carry their ticket, as a new booking does)."""
    described = {b.pk: _describe(b.ticket) for b in bookings if _in_hand(b)}
    unread = [b.pk for b in bookings if b.pk not in described]
    if unread:
        tickets = TicketBooking.objects.select_related("show__event", "show__venue").filter(
            booking_id__in=unread
        )
        described.update({ticket.booking_id: _describe(ticket) for ticket in tickets})
    return described


def _in_hand(booking: Booking) -> bool:
    """Whether the booking carries its ticket, show, event and venue already."""
    if not Booking.ticket.is_cached(booking):
        return False
    ticket = booking.ticket
    return bool(
        TicketBooking.show.is_cached(ticket)
        and Show.event.is_cached(ticket.show)
        and Show.venue.is_cached(ticket.show)
    )


def _describe(ticket: TicketBooking) -> dict[str, Any]:
    show, venue = ticket.show, ticket.show.venue
    location = ", ".join(part for part in (venue.name, venue.location) if part)
    return {
        "title": show.event.title,
        "location": location[:255],
        "timezone": venue.timezone,
        "notify_user_ids": [show.event.owner_id],
        "quantity": ticket.quantity,
    }


def ticket_booking_waitlist_candidates(booking: Booking) -> Q | None:
    """The waiting list a freed ticket booking (places or seats) makes room in: its show's,
    while the show is still on (a cancelled show promotes nobody)."""
    ticket = TicketBooking.objects.select_related("show").filter(booking_id=booking.pk).first()
    if ticket is None or ticket.show.status != ShowStatus.SCHEDULED:
        return None
    return Q(list_key=waitlist_key_for_show(show_id=ticket.show_id))


def ticket_booking_awaits_approval(booking: Booking) -> bool:
    """A ticket booking needs the organizer's approval when its event requires it (a
    promotion then stays pending until they confirm)."""
    return TicketBooking.objects.filter(
        booking_id=booking.pk, show__event__requires_approval=True
    ).exists()
