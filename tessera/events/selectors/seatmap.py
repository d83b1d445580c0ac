"""The seat map of a show: every seat of its hall and whether it is free, held or booked.

Two reads, so that the part that rarely changes can be cached by the caller: the hall's seats
with their prices at this show (`seat_layout`), and the live claims (`seat_states`), which a
sold-out 5,000-seat show answers in one index scan.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.db.models import Q

from ..models import Seat, SeatClaim, Show


@dataclass(frozen=True, slots=True)
class SeatRow:
    id: int
    row: str
    number: int
    category: str
    price: Decimal
    accessible: bool
    blocked: bool


HELD = "held"
BOOKED = "booked"


def seat_layout(*, show: Show) -> list[SeatRow]:
    """The show's hall's seats in layout order, each with its price at this show."""
    if show.hall_id is None:
        return []
    by_category = {price.category: price.amount for price in show.prices.all()}
    rows = (
        Seat.objects.filter(hall_id=show.hall_id)
        .order_by("row_position", "number")
        .values_list("pk", "row", "number", "category", "accessible", "blocked")
    )
    return [
        SeatRow(
            pk, row, number, category, by_category.get(category, show.price), accessible, blocked
        )
        for pk, row, number, category, accessible, blocked in rows
    ]


def seat_states(*, show: Show, now: datetime) -> dict[int, str]:
    """Seat id -> `booked` or `held` for the seats claimed at `now` (expired holds are free)."""
    claims = (
        SeatClaim.objects.filter(show_id=show.pk, is_live=True)
        .filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now))
        .values_list("seat_id", "booking_id")
    )
    return {seat_id: BOOKED if booking_id else HELD for seat_id, booking_id in claims}
