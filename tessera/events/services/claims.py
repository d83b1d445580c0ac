"""Counting and claiming what a show has to sell: its places and its seats.

The functions that write run inside `locks.ticket_transaction`; the docstrings say which lock
the caller must hold.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from decimal import Decimal

from django.db import IntegrityError
from django.db.models import IntegerField, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from tessera.bookings.models import Booking
from tessera.core.errors import ValidationFailed

from ..errors import SeatTaken, SeatUnavailable
from ..models import SEAT_CLAIM_LIVE_UNIQUE, Hold, HoldState, Seat, SeatClaim, Show, TicketBooking


def _sum(queryset: object) -> Coalesce:
    return Coalesce(Subquery(queryset), Value(0), output_field=IntegerField())  # type: ignore[arg-type]


def places_taken(*, show_id: int, now: datetime, exclude_hold_id: int | None = None) -> int:
    """Places sold (live ticket bookings) plus places held (live holds), in one query.

    Caller holds `lock_show_for_sale` when it is about to add to them.
    """
    sold = (
        TicketBooking.objects.filter(show_id=OuterRef("pk"), is_live=True)
        .order_by()
        .values("show_id")
        .annotate(n=Sum("quantity"))
        .values("n")
    )
    holds = Hold.objects.filter(show_id=OuterRef("pk"), state=HoldState.ACTIVE, expires_at__gt=now)
    if exclude_hold_id is not None:
        holds = holds.exclude(pk=exclude_hold_id)
    held = holds.order_by().values("show_id").annotate(n=Sum("quantity")).values("n")
    row = (
        Show.objects.filter(pk=show_id)
        .annotate(sold=_sum(sold), held=_sum(held))
        .values_list("sold", "held")
        .first()
    )
    return sum(row) if row else 0


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
    return sorted(
        SeatClaim.objects.filter(show_id=show_id, seat_id__in=seat_ids, is_live=True)
        .filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now))
        .values_list("seat_id", flat=True)
    )


def claim_seats(
    *,
    show: Show,
    seats: Sequence[Seat],
    prices: dict[int, Decimal],
    now: datetime,
    booking: Booking | None = None,
    hold: Hold | None = None,
) -> None:
    """Claim every seat or none. Caller holds `lock_show_shared` inside `ticket_transaction`.

    Claims of expired holds on these seats are deleted first (the expiry is in the query; this
    makes the seat free at once); then a seat that is still taken raises `seat_taken` naming it.
    Two buyers racing for one seat meet at the unique constraint on live claims; inserting in
    seat-id order keeps them from deadlocking.
    """
    seat_ids = [seat.pk for seat in seats]
    SeatClaim.objects.filter(
        show_id=show.pk, seat_id__in=seat_ids, hold__isnull=False, expires_at__lte=now
    ).delete()
    taken = taken_seat_ids(show_id=show.pk, seat_ids=seat_ids, now=now)
    if taken:
        raise SeatTaken(seat_ids=taken)
    expires_at = hold.expires_at if hold is not None else None
    SeatClaim.objects.bulk_create(
        [
            SeatClaim(
                show_id=show.pk,
                seat_id=seat_id,
                booking=booking,
                hold=hold,
                price=prices[seat_id],
                expires_at=expires_at,
            )
            for seat_id in sorted(seat_ids)
        ]
    )


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
