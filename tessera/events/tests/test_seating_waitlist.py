"""Waiting lists of reserved-seating shows: ask for a quantity (and a category); get the best
available seats now, or wait and get them allotted when seats free (same transaction, same
unique index on live seat claims)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine

from tessera.bookings.models import Booking, WaitlistEntry
from tessera.bookings.services.status import booking_cancel
from tessera.bookings.services.timed import bookings_advance_due
from tessera.core.clock import utcnow
from tessera.events.errors import ShowCancelled
from tessera.events.models import Seat, SeatClaim, TicketBooking
from tessera.events.services.shows import show_cancel
from tessera.events.services.tickets import (
    ticket_booking_create_best_available,
    ticket_booking_create_for_seats,
)
from tessera.events.tests.factories import ReservedShowFactory, set_price
from tessera.notifications.models import OutboxMessage

pytestmark = pytest.mark.django_db
URL = "/api/bookings/"


def labels(booking_id: int, live: bool = True) -> list[str]:
    claims = SeatClaim.objects.filter(booking_id=booking_id, is_live=live).select_related("seat")
    return sorted(c.seat.label for c in claims)


def seat_ids(show, *wanted: str) -> list[int]:
    seats = Seat.objects.filter(hall=show.hall)
    return [s.pk for s in seats if s.label in wanted]


def buy(show, customer, *wanted: str) -> Booking:
    """Seats sold to `customer` by the box office (which may sell more than 10 at once)."""
    return ticket_booking_create_for_seats(
        show=show, seat_ids=seat_ids(show, *wanted), customer=customer, actor=show.event.owner
    )


def ask(show, customer, quantity: int, category: str = "") -> Booking:
    return ticket_booking_create_best_available(
        show=show, quantity=quantity, customer=customer, actor=customer, category=category
    )


def fresh(booking: Booking) -> Booking:
    return Booking.objects.get(pk=booking.pk)


ALL = [f"{r}{n}" for r in "ABC" for n in range(1, 5)]


class TestJoin:
    def test_free_seats_are_given_at_once_together(self, seated_show, customer, client_for):
        buy(seated_show, customer, "A1", "A2", "A3")  # row A has one seat left
        api = client_for(customer)
        body = {"show_id": seated_show.pk, "quantity": 2, "waitlist": True}
        response = api.post(URL, body, format="json")
        assert response.status_code == 201, response.json()
        got = response.json()
        assert (got["kind"], got["status"], got["waitlist"]) == ("seating", "confirmed", None)
        assert labels(got["id"]) == ["B2", "B3"]  # row B, the middle of it
        assert Decimal(got["price"]) == Decimal("20.00")

    def test_a_full_show_puts_the_customer_in_line(self, seated_show, customer, client_for):
        buy(seated_show, customer, *ALL)
        api = client_for(customer)
        body = {"show_id": seated_show.pk, "quantity": 2, "waitlist": True}
        response = api.post(URL, body, format="json")
        got = response.json()
        assert (response.status_code, got["status"], got["waitlist"]) == (
            201,
            "waitlisted",
            {"position": 1, "quantity": 2},
        )
        assert got["price"] is None  # set when seats are allotted
        assert got["seat_ids"] == []
        assert not TicketBooking.objects.get(pk=got["id"]).is_live
        again = api.post(URL, body, format="json")
        assert (again.status_code, again.json()["code"]) == (409, "already_waitlisted")

    def test_without_waitlist_a_quantity_is_still_the_wrong_shape(
        self, seated_show, customer, client_for
    ):
        response = client_for(customer).post(
            URL, {"show_id": seated_show.pk, "quantity": 2}, format="json"
        )
        assert (response.status_code, response.json()["code"]) == (409, "wrong_seating")
        assert not Booking.objects.exists()

    def test_a_category_must_exist_and_fit_the_show(
        self, seated_show, ga_show, customer, client_for
    ):
        api = client_for(customer)
        body = {"show_id": seated_show.pk, "quantity": 1, "waitlist": True, "category": "vip"}
        response = api.post(URL, body, format="json")
        assert (response.status_code, response.json()["code"]) == (400, "unknown_category")
        assert response.json()["errors"][0]["field"] == "category"
        body = {"show_id": ga_show.pk, "quantity": 1, "waitlist": True, "category": "standard"}
        response = api.post(URL, body, format="json")
        assert (response.status_code, response.json()["code"]) == (400, "not_allowed")
        assert not Booking.objects.exists()

    def test_a_cancelled_show_takes_no_one(self, seated_show, customer, organizer):
        show_cancel(show=seated_show, actor=organizer)
        with pytest.raises(ShowCancelled):
            ask(seated_show, customer, 1)
        assert not Booking.objects.exists()


class TestPromotion:
    def test_freed_seats_are_allotted_to_the_first_in_line_that_fits(
        self, seated_show, customer, make_user
    ):
        owners = [make_user() for _ in range(3)]
        row_a = buy(seated_show, owners[0], "A1", "A2", "A3", "A4")
        buy(seated_show, owners[1], *[s for s in ALL if s[0] == "B"])
        single_c = buy(seated_show, owners[2], "C1")
        buy(seated_show, customer, "C2", "C3", "C4")
        three = ask(seated_show, make_user(), 3)
        one = ask(seated_show, make_user(), 1)
        assert (three.status, one.status) == ("waitlisted", "waitlisted")

        cancelled = booking_cancel(booking_id=single_c.pk, actor=owners[2])
        assert cancelled.promoted_booking_ids == [one.pk]  # the 3 does not fit in one seat
        assert (fresh(three).status, fresh(one).status) == ("waitlisted", "confirmed")
        assert labels(one.pk) == ["C1"]
        assert fresh(one).price == Decimal("10.00")
        promoted = OutboxMessage.objects.get(event_type="booking.promoted")
        assert promoted.payload["price"] == "10.00"

        booking_cancel(booking_id=row_a.pk, actor=owners[0])
        assert fresh(three).status == "confirmed"
        assert labels(three.pk) == ["A1", "A2", "A3"]  # together; closest run to the middle
        assert labels(row_a.pk, live=False) == ["A1", "A2", "A3", "A4"]  # the record stays
        live = SeatClaim.objects.filter(show=seated_show, is_live=True)
        assert live.count() == len(set(live.values_list("seat_id", flat=True)))

    def test_an_entry_with_a_category_gets_only_seats_of_it(self, customer, make_user):
        show = ReservedShowFactory.create(
            seats={"rows": "A-B", "numbers": "1-2", "category": "premium"}
        )
        from tessera.events.tests.factories import add_seats

        assert show.hall is not None
        add_seats(show.hall, rows="C", numbers="1-2")  # standard
        set_price(show, "premium", "30.00")
        holder = make_user()
        premium = buy(show, holder, "A1", "A2", "B1", "B2")
        standard = buy(show, customer, "C1", "C2")
        picky = ask(show, make_user(), 1, category="premium")
        anyone = ask(show, make_user(), 1)
        assert WaitlistEntry.objects.get(pk=picky.pk).category == "premium"
        booking_cancel(booking_id=standard.pk, actor=customer)
        assert (fresh(picky).status, fresh(anyone).status) == ("waitlisted", "confirmed")
        booking_cancel(booking_id=premium.pk, actor=holder)
        assert fresh(picky).status == "confirmed"
        assert fresh(picky).price == Decimal("30.00")
        assert labels(picky.pk)[0][0] in "AB"

    def test_a_seat_held_meanwhile_is_not_allotted(self, seated_show, customer, make_user):
        from tessera.events.services.holds import hold_create_for_seats

        holder = make_user()
        a1 = buy(seated_show, holder, "A1")
        rest = buy(seated_show, holder, *[s for s in ALL if s not in ("A1", "A2")])
        hold_create_for_seats(
            show=seated_show, seat_ids=seat_ids(seated_show, "A2"), actor=customer
        )
        waiting = ask(seated_show, make_user(), 2)
        booking_cancel(booking_id=a1.pk, actor=holder)  # A1 free, A2 held: one seat
        assert fresh(waiting).status == "waitlisted"
        booking_cancel(booking_id=rest.pk, actor=holder)
        assert fresh(waiting).status == "confirmed"
        assert labels(waiting.pk) == ["A3", "A4"]  # A2-A3 would be the middle, A2 is held

    def test_with_offers_the_seats_are_kept_and_lapse_to_the_next(
        self, settings, seated_show, customer, make_user
    ):
        settings.TESSERA = {**settings.TESSERA, "WAITLIST_PROMOTE_TO": "pending"}
        holder = make_user()
        held = buy(seated_show, holder, "A1", "A2")
        buy(seated_show, customer, *ALL[2:])
        first, second = ask(seated_show, make_user(), 2), ask(seated_show, make_user(), 2)
        booking_cancel(booking_id=held.pk, actor=holder)
        assert (fresh(first).status, fresh(second).status) == ("pending", "waitlisted")
        assert labels(first.pk) == ["A1", "A2"]
        deadline = fresh(first).confirm_deadline
        assert deadline is not None
        with time_machine.travel(deadline, tick=False):
            bookings_advance_due(now=utcnow())
        assert (fresh(first).status, fresh(second).status) == ("expired", "pending")
        assert labels(first.pk) == []
        assert labels(second.pk) == ["A1", "A2"]

    def test_an_entry_whose_show_started_is_expired_not_promoted(
        self, seated_show, customer, make_user
    ):
        holder = make_user()
        held = buy(seated_show, holder, *ALL)
        waiting = ask(seated_show, make_user(), 1)
        later = seated_show.starts_at + timedelta(minutes=1)
        booking_cancel(booking_id=held.pk, actor=seated_show.event.owner, now=later)
        assert fresh(waiting).status == "waitlisted"
        bookings_advance_due(now=later)
        assert fresh(waiting).status == "expired"

    def test_cancelling_the_show_cancels_its_seating_waiting_list(
        self, seated_show, customer, organizer, make_user
    ):
        buy(seated_show, customer, *ALL)
        waiting = ask(seated_show, make_user(), 1)
        show_cancel(show=seated_show, actor=organizer)
        assert fresh(waiting).status == "cancelled"
        assert not OutboxMessage.objects.filter(event_type="booking.promoted").exists()
