"""What a ticket booking's domain event says about its show (registered with
`bookings.domain_events.register_event_describer` for admission and seating bookings)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from tessera.bookings.models import Booking

from .models import TicketBooking


def ticket_booking_describe(bookings: Sequence[Booking]) -> dict[int, dict[str, Any]]:
    """Title, place and zone of each booking's show, the organizer to tell, and the quantity
    (one query)."""
    tickets = TicketBooking.objects.select_related("show__event", "show__venue").filter(
        booking_id__in=[b.pk for b in bookings]
    )
    return {ticket.booking_id: _describe(ticket) for ticket in tickets}


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
