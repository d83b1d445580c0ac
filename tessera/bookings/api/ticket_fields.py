"""What a ticket booking (general admission, reserved seating) shows in `BookingOutput`:
`show`, `event`, `quantity`, `seat_ids`, `seats`, `booking_date`, declared there with the other
fields. They read the ticket and seat claims the kinds' prefetches load (`kinds.KindOps.
output_prefetch`), by relation name: no import of the events app, which builds on this one.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ..models import TICKET_KINDS, BookingKind


def ticket_of(booking: Any) -> Any:
    """The booking's ticket part (prefetched), or None for other kinds of booking (without a
    query: a time booking just created has nothing prefetched)."""
    from django.core.exceptions import ObjectDoesNotExist

    if booking.kind not in TICKET_KINDS:
        return None
    try:
        return booking.ticket
    except ObjectDoesNotExist:
        return None


def seat_claims_of(booking: Any) -> Any:
    """The booking's seat claims (prefetched); none, without a query, for other kinds."""
    if booking.kind != BookingKind.SEATING:
        return []
    return booking.seat_claims.all()


class _TicketPart(serializers.Field):
    """A read-only field computed from the whole booking; subclasses define
    `to_representation(booking)`."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(source="*", read_only=True, **kwargs)


@extend_schema_field(serializers.IntegerField(allow_null=True, help_text="Ticket bookings."))
class ShowIdOutput(_TicketPart):
    def to_representation(self, booking: Any) -> int | None:
        ticket = ticket_of(booking)
        return ticket.show_id if ticket else None


@extend_schema_field(serializers.IntegerField(allow_null=True, help_text="Ticket bookings."))
class EventIdOutput(_TicketPart):
    def to_representation(self, booking: Any) -> int | None:
        ticket = ticket_of(booking)
        return ticket.show.event_id if ticket else None


@extend_schema_field(
    serializers.IntegerField(allow_null=True, help_text="Seats or places (ticket bookings).")
)
class QuantityOutput(_TicketPart):
    def to_representation(self, booking: Any) -> int | None:
        ticket = ticket_of(booking)
        return ticket.quantity if ticket else None


@extend_schema_field(
    serializers.ListField(child=serializers.IntegerField(), help_text="Reserved seats.")
)
class SeatIdsOutput(_TicketPart):
    def to_representation(self, booking: Any) -> list[int]:
        return [claim.seat_id for claim in seat_claims_of(booking)]


class BookedSeat(serializers.Serializer):
    id = serializers.IntegerField()
    row = serializers.CharField()
    number = serializers.IntegerField()
    category = serializers.CharField()
    price = serializers.DecimalField(max_digits=8, decimal_places=2)


@extend_schema_field(BookedSeat(many=True))
class SeatsOutput(_TicketPart):
    def to_representation(self, booking: Any) -> list[dict[str, Any]]:
        return [
            {
                "id": claim.seat_id,
                "row": claim.seat.row,
                "number": claim.seat.number,
                "category": claim.seat.category,
                "price": f"{claim.price:.2f}",
            }
            for claim in seat_claims_of(booking)
        ]


@extend_schema_field(serializers.DateTimeField(help_text="When it was booked (= created_at)."))
class BookingDateOutput(_TicketPart):
    def to_representation(self, booking: Any) -> str:
        return serializers.DateTimeField().to_representation(booking.created_at)
