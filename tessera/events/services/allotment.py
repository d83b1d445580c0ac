"""Seats given rather than chosen: a customer asks for a quantity of a reserved-seating show
(`waitlist: true`), and gets the best available seats (`domain/best_available.py`) now if
there are enough, or when a waiting-list promotion makes room.

The seats are claimed like any others: `SeatClaim` rows, under the unique index on live
claims. A buyer choosing the same seat at the same instant meets this claim there; the loser
of that race is refused (`seat_taken`) if it is the buyer, or tries the next best seats (up
to `ATTEMPTS` times) if it is the allotment.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Q

from tessera.bookings.models import Booking
from tessera.core.errors import ValidationFailed

from ..domain.best_available import SeatSpot, seats_best_available
from ..errors import CapacityExceeded, SeatTaken
from ..models import Seat, SeatClaim, Show
from .claims import free_expired_claims, is_live_seat_conflict, new_seat_claims, seat_prices

ATTEMPTS = 3


def seat_category_ensure(*, show: Show, category: str) -> None:
    """A category asked for must be one of the show's seats for sale (`unknown_category`)."""
    if not category:
        return
    assert show.hall_id is not None, "reserved seating has a hall (a database constraint)"
    seats = Seat.objects.filter(hall_id=show.hall_id, blocked=False, category=category)
    if not seats.exists():
        raise ValidationFailed(
            f"This show has no seat of category {category!r} for sale.",
            code="unknown_category",
            field="category",
        )


def _spots(*, show: Show, now: datetime) -> list[SeatSpot]:
    taken = set(
        SeatClaim.objects.filter(show_id=show.pk, is_live=True)
        .filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now))
        .values_list("seat_id", flat=True)
    )
    assert show.hall_id is not None
    rows = Seat.objects.filter(hall_id=show.hall_id).values_list(
        "pk", "row_position", "row", "number", "category", "blocked"
    )
    return [
        SeatSpot(
            id=pk,
            row_position=position,
            row=row,
            number=number,
            category=category,
            free=not blocked and pk not in taken,
        )
        for pk, position, row, number, category, blocked in rows
    ]


def seats_allot(*, show: Show, quantity: int, category: str, now: datetime) -> list[Seat]:
    """The best available seats for `quantity` (of `category`, if given), or
    `capacity_exceeded` (`places_left`: the free seats of that category)."""
    spots = _spots(show=show, now=now)
    ids = seats_best_available(spots, quantity=quantity, category=category)
    if ids is None:
        left = sum(1 for s in spots if s.free and (not category or s.category == category))
        raise CapacityExceeded("Not enough seats are free.", places_left=left, requested=quantity)
    by_id = Seat.objects.in_bulk(ids)
    return [by_id[i] for i in ids]


def seats_claim_best_available(
    *, show: Show, booking: Booking, quantity: int, category: str, now: datetime
) -> tuple[list[SeatClaim], Decimal]:
    """Claim the best available seats for `booking` (a waitlisted one being promoted); returns
    the claims and their total price. Caller holds `lock_show_for_sale` (allotments are made
    one at a time) inside the promotion's transaction; raises `capacity_exceeded` when too few
    seats are free, `seat_taken` when buyers kept winning the race for them."""
    seats: list[Seat] = []
    for _ in range(ATTEMPTS):
        seats = seats_allot(show=show, quantity=quantity, category=category, now=now)
        prices = seat_prices(show=show, seats=seats)
        try:
            with transaction.atomic():
                free_expired_claims(show_id=show.pk, seat_ids=[s.pk for s in seats], now=now)
                claims = SeatClaim.objects.bulk_create(
                    new_seat_claims(show=show, seats=seats, prices=prices, booking=booking)
                )
        except IntegrityError as exc:
            if not is_live_seat_conflict(exc):
                raise
            continue  # a buyer chose one of them meanwhile: the next best
        return claims, sum(prices.values(), Decimal("0"))
    raise SeatTaken(seat_ids=sorted(s.pk for s in seats))
