"""The signed links that booking emails carry (wired as `NOTIFICATIONS["LINKS"]`).

To the booking's customer, on `booking.created` and `booking.confirmed`: `manage_url` (view),
`cancel_url`, and `reschedule_url` for a booking of time; and `confirm_url` while a guest's
booking waits for its email to be confirmed. Owners and others told of the booking get none.
"""

from __future__ import annotations

from typing import Any

from tessera.bookings.models import Booking, BookingKind, BookingStatus

from .services.guests import guest_awaits_email
from .services.links import CANCEL, CONFIRM, RESCHEDULE, VIEW, link_url

EVENTS_WITH_LINKS = frozenset({"booking.created", "booking.confirmed"})
LIVE = (BookingStatus.PENDING, BookingStatus.CONFIRMED)


def notification_links(
    *, event_type: str, event: dict[str, Any], recipient_id: int
) -> dict[str, str]:
    if event_type not in EVENTS_WITH_LINKS or event.get("customer_id") != recipient_id:
        return {}
    booking_id = event.get("booking_id")
    if not isinstance(booking_id, int):
        return {}
    booking = Booking.objects.filter(pk=booking_id, customer_id=recipient_id).first()
    if booking is None or booking.status not in LIVE:
        return {}
    links = {
        "manage_url": link_url(booking=booking, action=VIEW),
        "cancel_url": link_url(booking=booking, action=CANCEL),
    }
    if booking.kind == BookingKind.TIME:
        links["reschedule_url"] = link_url(booking=booking, action=RESCHEDULE)
    if booking.status == BookingStatus.PENDING and guest_awaits_email(booking=booking):
        links["confirm_url"] = link_url(booking=booking, action=CONFIRM)
    return links
