"""An organizer cancels a show while a customer cancels a ticket of it, with a waiting list
(PostgreSQL, real parallel connections released together).

The customer's cancellation frees a place and promotes the first in line; the show's
cancellation cancels every booking of the show, waiting ones too. Both follow the one lock order
of `docs/concurrency.md` (the freed bookings, then the waiting ones, then the show), so neither
waits for the other in a cycle: whichever goes first wins, the other sees its result. Nobody gets
a deadlock or a `lock_timeout`; afterwards the show is cancelled, every booking of it is
cancelled with one history row saying so, nothing is held, and at most the first in line was
promoted (and then cancelled with the show).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import cast

import pytest

from tessera.accounts.models import User
from tessera.accounts.roles import Role
from tessera.accounts.tests.factories import UserFactory
from tessera.bookings.models import Booking, BookingStatusChange
from tessera.bookings.services.status import booking_cancel
from tessera.core.errors import DomainError
from tessera.events.models import Seat, SeatClaim, Show, ShowStatus, TicketBooking
from tessera.events.services.shows import show_cancel
from tessera.events.services.tickets import (
    ticket_booking_create_best_available,
    ticket_booking_create_for_places,
    ticket_booking_create_for_seats,
)
from tessera.events.tests.factories import ReservedShowFactory, ShowFactory
from tessera.notifications.models import OutboxMessage

from .races import race

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

ROUNDS = 10
HOLDERS = 3
WAITING = 3


def customer() -> User:
    return cast(User, UserFactory(role=Role.CUSTOMER))


def admission_show() -> tuple[Show, list[Booking], list[Booking]]:
    show = ShowFactory.create(capacity=HOLDERS)

    def book(waitlist: bool) -> Booking:
        who = customer()
        return ticket_booking_create_for_places(
            show=show, quantity=1, customer=who, actor=who, waitlist=waitlist
        )

    return show, [book(False) for _ in range(HOLDERS)], [book(True) for _ in range(WAITING)]


def seating_show() -> tuple[Show, list[Booking], list[Booking]]:
    show = ReservedShowFactory.create(seats={"rows": "A", "numbers": f"1-{HOLDERS}"})
    seat_ids = list(
        Seat.objects.filter(hall=show.hall_id).order_by("number").values_list("pk", flat=True)
    )
    holders = []
    for seat_id in seat_ids:
        who = customer()
        holders.append(
            ticket_booking_create_for_seats(show=show, seat_ids=[seat_id], customer=who, actor=who)
        )
    waiting = []
    for _ in range(WAITING):
        who = customer()
        waiting.append(
            ticket_booking_create_best_available(show=show, quantity=1, customer=who, actor=who)
        )
    return show, holders, waiting


def outcome(change: Callable[[], object]) -> str:
    try:
        change()
    except DomainError as error:
        return error.code
    return "done"


@pytest.mark.parametrize("make_show", [admission_show, seating_show], ids=["admission", "seating"])
def test_show_cancel_racing_a_ticket_cancel_with_a_waiting_list(make_show):
    for _ in range(ROUNDS):
        one_round(*make_show())


def one_round(show: Show, holders: list[Booking], waiting: list[Booking]) -> None:
    assert {w.status for w in waiting} == {"waitlisted"}
    organizer, leaving = show.event.owner, holders[0]
    changes = [
        lambda: show_cancel(show=show, actor=organizer),
        lambda: booking_cancel(booking_id=leaving.pk, actor=leaving.customer),
    ]

    show_result, customer_result = race(2, lambda i: outcome(changes[i]))

    assert show_result == "done"
    # first: the customer cancels (and promotes); else the show cancelled their booking
    assert customer_result in {"done", "illegal_transition"}
    show.refresh_from_db()
    assert show.status == ShowStatus.CANCELLED
    ids = [b.pk for b in [*holders, *waiting]]
    assert set(Booking.objects.filter(pk__in=ids).values_list("status", flat=True)) == {"cancelled"}
    cancelled_rows = BookingStatusChange.objects.filter(booking_id__in=ids, to_status="cancelled")
    assert sorted(cancelled_rows.values_list("booking_id", flat=True)) == sorted(ids)
    assert not TicketBooking.objects.filter(show=show, is_live=True).exists()
    assert not SeatClaim.objects.filter(show=show, is_live=True).exists()
    promoted = OutboxMessage.objects.filter(
        event_type="booking.promoted", aggregate_id__in=[w.reference for w in waiting]
    )
    if customer_result == "done":
        assert list(promoted.values_list("aggregate_id", flat=True)) == [waiting[0].reference]
    else:
        assert not promoted.exists()
