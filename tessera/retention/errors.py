"""The coded errors of data retention and erasure (see docs/api-errors.md)."""

from tessera.core.errors import Conflict


class ErasureBlockedByLiveBookings(Conflict):
    default_code = "erasure_live_bookings"
    default_message = (
        "This person has bookings that are still live (pending, confirmed, in progress or on a "
        "waiting list): cancel them first."
    )


class AlreadyErased(Conflict):
    default_code = "already_erased"
    default_message = "This person's data has already been erased."
