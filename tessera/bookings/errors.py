"""Booking error codes (rendered by the API as problem documents, see docs/api-errors.md).

A refused booking of time is a 409 whose code says why: `too_late`, `too_far_ahead`,
`outside_availability`, `slot_unavailable` (see `scheduling.domain.slotting.check_booking`).
"""

from tessera.core.errors import Conflict


class IllegalTransition(Conflict):
    default_code = "illegal_transition"
    default_message = "This booking cannot make that status change."


class BookingRefused(Conflict):
    """The time may not be booked; `code` says why."""

    default_code = "slot_unavailable"
    default_message = "That time is already taken."


class CancellationDeadlinePassed(Conflict):
    default_code = "cancellation_deadline_passed"
    default_message = "It is too late to cancel or move this booking; ask the provider."


class NotLive(Conflict):
    default_code = "booking_not_live"
    default_message = "Only a pending or confirmed booking can be changed like that."


class AlreadyWaitlisted(Conflict):
    default_code = "already_waitlisted"
    default_message = "You are already in the waiting list of that time."


class OfferExpired(Conflict):
    default_code = "offer_expired"
    default_message = "The place offered from the waiting list was not accepted in time."


class OfferNotAccepted(Conflict):
    default_code = "offer_not_accepted"
    default_message = (
        "This place was offered from the waiting list: its customer must accept it first."
    )
