"""What a booking is, for a page: its title, where, in which zone, and what can be done with it.

Reads only what the booking selectors prefetch (allocations with their resources, the ticket's
show); the rules themselves (deadlines, offers) come from the bookings app.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from tessera.bookings.models import LIVE_STATUSES, TIME_KINDS, Booking, BookingStatus


@dataclass(frozen=True)
class BookingView:
    booking: Booking
    title: str
    zone: str
    location: str
    resource_ids: tuple[int, ...]
    show_id: int | None
    cancel_until: datetime | None  # the customer's cancellation deadline (None: none)
    offer_deadline: datetime | None  # an open waiting-list offer's deadline

    @property
    def is_time(self) -> bool:
        return self.booking.kind in TIME_KINDS

    @property
    def can_cancel(self) -> bool:
        return self.booking.status in (*LIVE_STATUSES, BookingStatus.WAITLISTED) and (
            self.booking.status != BookingStatus.IN_PROGRESS
        )

    @property
    def can_reschedule(self) -> bool:
        return (
            self.is_time
            and self.booking.status
            in (
                BookingStatus.PENDING,
                BookingStatus.CONFIRMED,
            )
            and self.offer_deadline is None
        )


def describe(
    booking: Booking, *, offer: Any = None, shows: dict[int, Any] | None = None
) -> BookingView:
    """`offer`: the booking's open waiting-list entry (from `waitlist_offers_of`), if any;
    `shows`: the shows of a page's ticket bookings with event and venue (`shows_by_ids`)."""
    allocations = list(booking.allocations.all())
    if allocations:
        resources = [a.resource for a in allocations]
        title = " + ".join(r.name for r in resources)
        zone = resources[0].timezone
        location = ", ".join(r.location for r in resources if r.location)
        deadline = max((r.cancellation_deadline or 0) for r in resources)
        cancel_until = booking.starts_at - timedelta(minutes=deadline) if deadline else None
        return BookingView(
            booking,
            title,
            zone,
            location,
            tuple(r.pk for r in resources),
            None,
            cancel_until,
            _offer_deadline(booking, offer),
        )
    ticket = getattr(booking, "ticket", None)
    show = None
    if ticket is not None:
        show = (shows or {}).get(ticket.show_id) or ticket.show
    if show is not None:
        return BookingView(
            booking,
            show.event.title,
            show.venue.timezone,
            show.venue.location or show.venue.name,
            (),
            show.pk,
            None,
            _offer_deadline(booking, offer),
        )
    return BookingView(booking, booking.reference, "UTC", "", (), None, None, None)


def _offer_deadline(booking: Booking, offer: Any) -> datetime | None:
    if offer is None or offer.accepted_at is not None:
        return None
    if booking.status != BookingStatus.PENDING:
        return None
    return booking.confirm_deadline
