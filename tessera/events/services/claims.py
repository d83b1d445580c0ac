"""Counting and claiming what a show has to sell: its places and its seats.

The functions that write run inside `locks.ticket_transaction`; the docstrings say which lock
the caller must hold.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, connection

from tessera.bookings.models import Booking
from tessera.core.errors import ValidationFailed

from ..errors import SeatTaken, SeatUnavailable
from ..models import SEAT_CLAIM_LIVE_UNIQUE, Hold, HoldState, Seat, SeatClaim, Show

# `{}` takes the placeholders of an IN list; every value is passed as a parameter.
_TAKEN = (
    "SELECT seat_id FROM events_seatclaim WHERE show_id = %s AND seat_id IN ({})"
    " AND is_live AND (expires_at IS NULL OR expires_at > %s)"
)
_EXPIRED = (
    "DELETE FROM events_seatclaim WHERE show_id = %s AND seat_id IN ({})"
    " AND hold_id IS NOT NULL AND expires_at <= %s"
)


def _in(values: Sequence[int]) -> str:
    """Placeholders for an `IN (...)` list (values are always passed as parameters)."""
    return ", ".join(["%s"] * len(values))


# The statements of a sale are written out in SQL: they run on every ticket sold, and building
# them with the ORM cost more than running them (see docs/events.md, "Performance").


def places_taken(*, show_id: int, now: datetime) -> int:
    """Places sold (live ticket bookings) plus places held (live holds), in one statement.

    Caller holds `lock_show_for_sale` when it is about to add to them (the statement then sees
    every sale committed before the lock was granted).
    """
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT (SELECT COALESCE(SUM(quantity), 0) FROM events_ticketbooking"
            "        WHERE show_id = %s AND is_live)"
            "     + (SELECT COALESCE(SUM(quantity), 0) FROM events_hold"
            "        WHERE show_id = %s AND state = %s AND expires_at > %s)",
            [show_id, show_id, HoldState.ACTIVE.value, _db_time(now)],
        )
        (taken,) = cursor.fetchone()
    return int(taken)


def _db_time(value: datetime) -> Any:
    return connection.ops.adapt_datetimefield_value(value)


def seats_for_sale(*, show: Show, seat_ids: Sequence[int]) -> list[Seat]:
    """The requested seats of the show's hall, in id order; unknown ones are a 400, blocked
    ones `seat_unavailable`."""
    assert show.hall_id is not None, "reserved seating has a hall (a database constraint)"
    seats = list(Seat.objects.filter(hall_id=show.hall_id, pk__in=seat_ids).order_by("pk"))
    missing = sorted(set(seat_ids) - {seat.pk for seat in seats})
    if missing:
        raise ValidationFailed(
            f"Seats {missing[:20]} are not seats of this show's hall.",
            code="unknown_seat",
            field="seat_ids",
            seat_ids=missing,
        )
    blocked = [seat.pk for seat in seats if seat.blocked]
    if blocked:
        raise SeatUnavailable(seat_ids=blocked)
    return seats


def seat_prices(*, show: Show, seats: Sequence[Seat]) -> dict[int, Decimal]:
    """Each seat's price: its category's price at this show, else the show's price."""
    by_category = {price.category: price.amount for price in show.prices.all()}
    return {seat.pk: by_category.get(seat.category, show.price) for seat in seats}


def taken_seat_ids(*, show_id: int, seat_ids: Sequence[int], now: datetime) -> list[int]:
    """Which of these seats are held (by a hold that has not expired) or booked."""
    with connection.cursor() as cursor:
        cursor.execute(
            _TAKEN.format(_in(seat_ids)),
            [show_id, *seat_ids, _db_time(now)],
        )
        return sorted(row[0] for row in cursor.fetchall())


def free_expired_claims(*, show_id: int, seat_ids: Sequence[int], now: datetime) -> None:
    """Delete the claims of lapsed holds on these seats: they are free from now on."""
    with connection.cursor() as cursor:
        cursor.execute(
            _EXPIRED.format(_in(seat_ids)),
            [show_id, *seat_ids, _db_time(now)],
        )


def ensure_seats_free(*, show: Show, seats: Sequence[Seat], now: datetime) -> None:
    """Make sure every seat can be claimed, or raise `seat_taken` naming those that cannot.
    Caller holds `lock_show_shared` inside `ticket_transaction`, and claims them next.

    Claims of expired holds on these seats are deleted first (the expiry is in the query; this
    makes the seat free at once). A buyer racing for the same seat meets this one at the unique
    constraint on live claims (`seat_conflicts_as_taken` turns that into the same 409).
    """
    seat_ids = [seat.pk for seat in seats]
    free_expired_claims(show_id=show.pk, seat_ids=seat_ids, now=now)
    taken = taken_seat_ids(show_id=show.pk, seat_ids=seat_ids, now=now)
    if taken:
        raise SeatTaken(seat_ids=taken)


def new_seat_claims(
    *,
    show: Show,
    seats: Sequence[Seat],
    prices: dict[int, Decimal],
    booking: Booking | None = None,
    hold: Hold | None = None,
) -> list[SeatClaim]:
    """Unsaved claims, in seat-id order: two buyers inserting overlapping seats in one order
    cannot deadlock."""
    return [
        SeatClaim(
            show_id=show.pk,
            seat=seat,
            booking=booking,
            hold=hold,
            price=prices[seat.pk],
            expires_at=hold.expires_at if hold is not None else None,
        )
        for seat in sorted(seats, key=lambda s: s.pk)
    ]


def is_live_seat_conflict(exc: IntegrityError) -> bool:
    cause = exc.__cause__
    diag = getattr(cause, "diag", None)
    if diag is not None and getattr(diag, "constraint_name", None):
        return bool(diag.constraint_name == SEAT_CLAIM_LIVE_UNIQUE)
    text = str(exc)
    return (
        SEAT_CLAIM_LIVE_UNIQUE in text
        or "events_seatclaim.show_id, events_seatclaim.seat_id" in text
    )


@contextmanager
def seat_conflicts_as_taken(
    *, show_id: int, seat_ids: Sequence[int], now: datetime
) -> Iterator[None]:
    """Wrap *around* the transaction: a lost race at the unique constraint becomes the same
    `seat_taken` (naming the seats) as the check before it."""
    try:
        yield
    except IntegrityError as exc:
        if not is_live_seat_conflict(exc):
            raise
        taken = taken_seat_ids(show_id=show_id, seat_ids=seat_ids, now=now)
        raise SeatTaken(seat_ids=taken or sorted(seat_ids)) from exc
