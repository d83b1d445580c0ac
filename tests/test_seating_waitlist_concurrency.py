"""Seats allotted from a reserved-seating show's waiting list, under parallel cancellations and
buyers choosing the same seats (PostgreSQL, real parallel connections): no seat is claimed
twice (the unique index on live claims), every entry is promoted at most once with exactly
its quantity of seats, and nobody gets a 500."""

from __future__ import annotations

from collections import Counter
from typing import cast

import pytest

from tessera.accounts.models import User
from tessera.accounts.roles import Role
from tessera.accounts.tests.factories import UserFactory
from tessera.bookings.models import Booking, BookingStatusChange
from tessera.bookings.services.status import booking_cancel
from tessera.core.errors import DomainError
from tessera.events.models import Seat, SeatClaim
from tessera.events.services.tickets import (
    ticket_booking_create_best_available,
    ticket_booking_create_for_seats,
)
from tessera.events.tests.factories import ReservedShowFactory

from .races import race

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

ROUNDS = 3


def user() -> User:
    return cast(User, UserFactory(role=Role.CUSTOMER))


def test_allotments_racing_cancellations_and_buyers_never_claim_a_seat_twice():
    for _ in range(ROUNDS):
        _round()


def _round() -> None:
    show = ReservedShowFactory.create(seats={"rows": "A-B", "numbers": "1-4"})
    seats = list(Seat.objects.filter(hall=show.hall).order_by("row_position", "number"))
    owner = show.event.owner
    holders = [user() for _ in range(4)]
    # Four bookings of two seats fill the hall.
    held = [
        ticket_booking_create_for_seats(
            show=show,
            seat_ids=[s.pk for s in seats[2 * i : 2 * i + 2]],
            customer=holders[i],
            actor=owner,
        )
        for i in range(4)
    ]
    waiting = [
        ticket_booking_create_best_available(show=show, quantity=q, customer=w, actor=w)
        for q, w in ((2, user()), (1, user()), (2, user()), (3, user()))
    ]
    assert {w.status for w in waiting} == {"waitlisted"}
    buyers = [user() for _ in range(2)]

    def work(i: int) -> str:
        try:
            if i < 3:  # three holders cancel
                booking_cancel(booking_id=held[i].pk, actor=holders[i])
            else:  # two buyers go for the seats the first holder frees
                buyer = buyers[i - 3]
                ticket_booking_create_for_seats(
                    show=show, seat_ids=[seats[0].pk], customer=buyer, actor=buyer
                )
        except DomainError as exc:
            return exc.code
        return "ok"

    results = race(5, work)

    assert set(results) <= {"ok", "seat_taken", "lock_timeout"}
    live = SeatClaim.objects.filter(show=show, is_live=True)
    counts = Counter(live.values_list("seat_id", flat=True))
    assert all(n == 1 for n in counts.values())
    for entry in waiting:
        booking = Booking.objects.get(pk=entry.pk)
        claimed = SeatClaim.objects.filter(booking=booking, is_live=True).count()
        quantity = booking.ticket.quantity
        assert claimed == (quantity if booking.status == "confirmed" else 0)
        promotions = BookingStatusChange.objects.filter(
            booking=booking, from_status="waitlisted"
        ).count()
        assert promotions == (1 if booking.status == "confirmed" else 0)
    assert live.count() <= len(seats)
