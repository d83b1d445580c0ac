from .events import Event, Seating, Show, ShowPrice, ShowStatus
from .tickets import SEAT_CLAIM_LIVE_UNIQUE, Hold, HoldState, SeatClaim, TicketBooking
from .venues import DEFAULT_CATEGORY, Hall, Seat, Venue

__all__ = [
    "DEFAULT_CATEGORY",
    "SEAT_CLAIM_LIVE_UNIQUE",
    "Event",
    "Hall",
    "Hold",
    "HoldState",
    "Seat",
    "SeatClaim",
    "Seating",
    "Show",
    "ShowPrice",
    "ShowStatus",
    "TicketBooking",
    "Venue",
]
