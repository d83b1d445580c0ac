"""Row locks on bookings. Evaluated, ordered by pk, short. Lock order everywhere: the booking,
then the resources it holds (`scheduling.locks.resources_lock`), never the other way round."""

from __future__ import annotations

from .models import Booking


def booking_lock(*, booking_id: int) -> Booking | None:
    """Lock and (re)read one booking. Caller is inside `transaction.atomic()`."""
    return Booking.objects.select_for_update(of=("self",)).filter(pk=booking_id).first()
