"""What a ticket booking's domain event says about its show (registered with
`bookings.domain_events.register_event_describer` for admission and seating bookings)."""

from __future__ import annotations

from typing import Any

from tessera.bookings.models import Booking

from .models import TicketBooking


def ticket_booking_describe(booking: Booking) -> dict[str, Any]:
    """Title, place and zone of the show, the organizer to tell, and the quantity."""
    ticket = (
        TicketBooking.objects.select_related("show__event", "show__venue")
        .filter(booking_id=booking.pk)
        .first()
    )
    if ticket is None:
        return {}
    show, venue = ticket.show, ticket.show.venue
    location = ", ".join(part for part in (venue.name, venue.location) if part)
    return {
        "title": show.event.title,
        "location": location[:255],
        "timezone": venue.timezone,
        "notify_user_ids": [show.event.owner_id],
        "quantity": ticket.quantity,
    }
