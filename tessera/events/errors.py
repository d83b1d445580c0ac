"""Error codes of venues, shows, holds and ticket bookings (see docs/events.md for the list)."""

from tessera.core.errors import Conflict, NotFound


class SeatTaken(Conflict):
    """Some of the requested seats are held or booked; `seat_ids` names them."""

    default_code = "seat_taken"
    default_message = "Some of the requested seats are no longer available."


class SeatUnavailable(Conflict):
    """Some of the requested seats are blocked (not for sale)."""

    default_code = "seat_unavailable"
    default_message = "Some of the requested seats are not for sale."


class CapacityExceeded(Conflict):
    default_code = "capacity_exceeded"
    default_message = "Not enough places are left at this show."


class HoldExpired(Conflict):
    default_code = "hold_expired"
    default_message = "This hold has expired; its seats or places are free again."


class HoldReleased(Conflict):
    default_code = "hold_released"
    default_message = "This hold was released."


class HoldUsed(Conflict):
    default_code = "hold_used"
    default_message = "This hold has already been turned into a booking."


class HoldLimit(Conflict):
    default_code = "hold_limit"
    default_message = "That is more than one customer may hold at once."


class BookingLimit(Conflict):
    default_code = "booking_limit"
    default_message = "That is more seats or places than one booking may take."


class HoldNotFound(NotFound):
    default_code = "hold_not_found"
    default_message = "There is no hold with this token."


class ShowOverlap(Conflict):
    default_code = "show_overlap"
    default_message = "Another show is scheduled in this hall at that time."


class SalesClosed(Conflict):
    default_code = "sales_closed"
    default_message = "This show has started or ended; it sells no more tickets."


class ShowCancelled(Conflict):
    default_code = "show_cancelled"
    default_message = "This show was cancelled."


class WrongSeating(Conflict):
    """Seats asked of a general-admission show, or a quantity of a reserved-seating one."""

    default_code = "wrong_seating"
    default_message = "This show does not sell tickets that way."


class LayoutInUse(Conflict):
    default_code = "layout_in_use"
    default_message = "Seats that have been held or sold cannot be removed from the layout."


class CapacityBelowSold(Conflict):
    default_code = "capacity_below_sold"
    default_message = "The capacity cannot go below the places already sold or held."


class ShowRequired(Conflict):
    """`{"event"}` names an event with several shows (or none on sale): say which show."""

    default_code = "show_required"
    default_message = "This event has several shows (or none on sale); book a show instead."


class ShowStarted(Conflict):
    default_code = "show_started"
    default_message = "This show has already started; it can no longer be cancelled or moved."
