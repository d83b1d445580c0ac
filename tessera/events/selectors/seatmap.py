"""The seat map of a show: every seat of its hall and whether it is free, held or booked.

Two reads, so that the part that rarely changes can be cached by the caller: the hall's seats
with their prices at this show (`seat_layout`), and the live claims (`seat_states`), which a
sold-out 5,000-seat show answers in one index scan.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.db import connection

from ..models import Seat, Show


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


def seat_claims(*, show: Show, now: datetime) -> list[tuple[int, bool]]:
    """(seat id, booked?) of every seat claimed at `now`: booked, or held by a hold that has
    not expired. One index scan of the live claims; written in SQL because a sold-out hall
    returns thousands of rows on every read of its seat map."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT seat_id, booking_id IS NOT NULL FROM events_seatclaim"
            " WHERE show_id = %s AND is_live AND (expires_at IS NULL OR expires_at > %s)",
            [show.pk, connection.ops.adapt_datetimefield_value(now)],
        )
        return [(seat_id, bool(booked)) for seat_id, booked in cursor.fetchall()]


def seat_states(*, show: Show, now: datetime) -> dict[int, str]:
    """Seat id -> `booked` or `held` for the seats claimed at `now` (expired holds are free)."""
    return {
        seat_id: BOOKED if booked else HELD for seat_id, booked in seat_claims(show=show, now=now)
    }
