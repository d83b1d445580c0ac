"""Ticket booking services: seats, places, holds turned into bookings, `{"event"}`."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine

from tessera.accounts.roles import Role
from tessera.bookings.lifecycle import booking_transition
from tessera.bookings.models import Booking, BookingKind, BookingStatus, BookingStatusChange
from tessera.core.clock import utcnow
from tessera.core.errors import PermissionDenied, ValidationFailed
from tessera.events import errors
from tessera.events.models import Hold, Seat, SeatClaim, ShowStatus, TicketBooking
from tessera.events.services.holds import hold_create_for_places, hold_create_for_seats
from tessera.events.services.tickets import (
    ticket_booking_create_for_event,
    ticket_booking_create_for_places,
    ticket_booking_create_for_seats,
    ticket_booking_create_from_hold,
)

from .factories import EventFactory, ShowFactory, set_price

pytestmark = pytest.mark.django_db


def _nothing_written() -> None:
    assert not Booking.objects.exists()
    assert not BookingStatusChange.objects.exists()
    assert not TicketBooking.objects.exists()
    assert not SeatClaim.objects.filter(booking__isnull=False).exists()


# --- seats ---------------------------------------------------------------------------------


def test_booking_seats_takes_them_prices_them_and_records_history(seated_show, seats, customer):
    set_price(seated_show, "standard", "12.50")

    booking = ticket_booking_create_for_seats(
        show=seated_show, seat_ids=[seats[0].pk, seats[1].pk], customer=customer, actor=customer
    )

    assert booking.status == BookingStatus.CONFIRMED
    assert booking.kind == BookingKind.SEATING
    assert booking.price == Decimal("25.00")
    assert booking.currency == "EUR"
    assert (booking.starts_at, booking.ends_at) == (seated_show.starts_at, seated_show.ends_at)
    assert booking.created_by is None
    assert booking.ticket.show == seated_show
    assert booking.ticket.quantity == 2
    assert sorted(booking.seat_claims.values_list("seat_id", flat=True)) == [
        seats[0].pk,
        seats[1].pk,
    ]
    history = list(booking.history.values_list("from_status", "to_status"))
    assert history == [("", BookingStatus.CONFIRMED)]


def test_seat_price_falls_back_to_the_show_price(seated_show, seats, customer):
    seats[0].category = "vip"
    seats[0].save()
    set_price(seated_show, "vip", "40.00")

    booking = ticket_booking_create_for_seats(
        show=seated_show, seat_ids=[seats[0].pk, seats[5].pk], customer=customer, actor=customer
    )

    assert booking.price == Decimal("50.00")  # 40 (vip) + 10 (the show's own price)


def test_a_taken_seat_refuses_the_whole_booking_and_names_the_seat(
    seated_show, seats, customer, make_user
):
    first = ticket_booking_create_for_seats(
        show=seated_show, seat_ids=[seats[1].pk], customer=customer, actor=customer
    )
    other = make_user()

    with pytest.raises(errors.SeatTaken) as caught:
        ticket_booking_create_for_seats(
            show=seated_show,
            seat_ids=[seats[0].pk, seats[1].pk, seats[2].pk],
            customer=other,
            actor=other,
        )

    assert caught.value.status == 409
    assert caught.value.data["seat_ids"] == [seats[1].pk]
    assert Booking.objects.get() == first
    assert SeatClaim.objects.count() == 1
    assert BookingStatusChange.objects.count() == 1


def test_seats_of_another_hall_are_a_validation_error(seated_show, customer):
    from .factories import ReservedShowFactory

    elsewhere = ReservedShowFactory.create()
    foreign = Seat.objects.filter(hall=elsewhere.hall).first()
    assert foreign is not None

    with pytest.raises(ValidationFailed) as caught:
        ticket_booking_create_for_seats(
            show=seated_show, seat_ids=[foreign.pk], customer=customer, actor=customer
        )

    assert caught.value.code == "unknown_seat"
    assert caught.value.data["seat_ids"] == [foreign.pk]
    _nothing_written()


def test_blocked_seats_are_not_for_sale(seated_show, seats, customer):
    seats[3].blocked = True
    seats[3].save()

    with pytest.raises(errors.SeatUnavailable) as caught:
        ticket_booking_create_for_seats(
            show=seated_show, seat_ids=[seats[3].pk], customer=customer, actor=customer
        )

    assert caught.value.code == "seat_unavailable"
    _nothing_written()


def test_seats_cannot_be_booked_as_places_and_places_not_as_seats(
    seated_show, ga_show, seats, customer
):
    with pytest.raises(errors.WrongSeating):
        ticket_booking_create_for_places(
            show=seated_show, quantity=1, customer=customer, actor=customer
        )
    with pytest.raises(errors.WrongSeating):
        ticket_booking_create_for_seats(
            show=ga_show, seat_ids=[seats[0].pk], customer=customer, actor=customer
        )
    _nothing_written()


def test_a_started_or_cancelled_show_sells_nothing(seated_show, seats, customer):
    with pytest.raises(errors.SalesClosed):
        ticket_booking_create_for_seats(
            show=seated_show,
            seat_ids=[seats[0].pk],
            customer=customer,
            actor=customer,
            now=seated_show.starts_at,
        )
    seated_show.status = ShowStatus.CANCELLED
    seated_show.save()
    with pytest.raises(errors.ShowCancelled):
        ticket_booking_create_for_seats(
            show=seated_show, seat_ids=[seats[0].pk], customer=customer, actor=customer
        )
    _nothing_written()


def test_a_customer_books_only_for_themself(seated_show, seats, customer, make_user):
    other = make_user()
    with pytest.raises(PermissionDenied):
        ticket_booking_create_for_seats(
            show=seated_show, seat_ids=[seats[0].pk], customer=other, actor=customer
        )
    _nothing_written()


@pytest.mark.parametrize("who", ["staff", "organizer"])
def test_staff_and_the_organizer_book_for_someone_else(
    seated_show, seats, customer, organizer, make_user, who
):
    actor = make_user(Role.STAFF) if who == "staff" else organizer

    booking = ticket_booking_create_for_seats(
        show=seated_show, seat_ids=[seats[0].pk], customer=customer, actor=actor
    )

    assert booking.customer == customer
    assert booking.created_by == actor
    assert booking.history.get().actor == actor


def test_a_customer_booking_is_limited_in_size(seated_show, seats, customer, settings):
    settings.TESSERA_EVENTS = {**settings.TESSERA_EVENTS, "BOOKING_MAX_ITEMS": 2}

    with pytest.raises(errors.BookingLimit) as caught:
        ticket_booking_create_for_seats(
            show=seated_show,
            seat_ids=[s.pk for s in seats[:3]],
            customer=customer,
            actor=customer,
        )

    assert caught.value.data == {"limit": 2, "requested": 3}
    _nothing_written()


def test_cancelling_frees_the_seats_at_once_and_keeps_them_listed(
    seated_show, seats, customer, make_user
):
    booking = ticket_booking_create_for_seats(
        show=seated_show, seat_ids=[seats[0].pk], customer=customer, actor=customer
    )

    booking_transition(booking=booking, to=BookingStatus.CANCELLED, actor=customer)

    other = make_user()
    again = ticket_booking_create_for_seats(
        show=seated_show, seat_ids=[seats[0].pk], customer=other, actor=other
    )
    assert again.status == BookingStatus.CONFIRMED
    assert list(booking.seat_claims.values_list("seat_id", "is_live")) == [(seats[0].pk, False)]
    assert TicketBooking.objects.get(pk=booking.pk).is_live is False


def test_an_event_that_needs_approval_books_pending_and_keeps_the_seats(
    seated_show, seats, customer, make_user
):
    seated_show.event.requires_approval = True
    seated_show.event.save()

    booking = ticket_booking_create_for_seats(
        show=seated_show, seat_ids=[seats[0].pk], customer=customer, actor=customer
    )

    assert booking.status == BookingStatus.PENDING
    assert booking.confirm_deadline is not None
    assert booking.confirm_deadline <= seated_show.starts_at
    other = make_user()
    with pytest.raises(errors.SeatTaken):
        ticket_booking_create_for_seats(
            show=seated_show, seat_ids=[seats[0].pk], customer=other, actor=other
        )
    booking_transition(booking=booking, to=BookingStatus.EXPIRED, actor=None)
    ticket_booking_create_for_seats(
        show=seated_show, seat_ids=[seats[0].pk], customer=other, actor=other
    )


# --- places ----------------------------------------------------------------------------------


def test_booking_places_counts_against_capacity(ga_show, customer, make_user):
    booking = ticket_booking_create_for_places(
        show=ga_show, quantity=4, customer=customer, actor=customer
    )
    assert booking.kind == BookingKind.ADMISSION
    assert booking.price == Decimal("80.00")
    assert booking.ticket.quantity == 4

    ticket_booking_create_for_places(show=ga_show, quantity=6, customer=customer, actor=customer)

    late = make_user()
    with pytest.raises(errors.CapacityExceeded) as caught:
        ticket_booking_create_for_places(show=ga_show, quantity=1, customer=late, actor=late)
    assert caught.value.data == {"places_left": 0, "requested": 1}
    assert Booking.objects.count() == 2


def test_live_holds_count_against_capacity_until_they_expire(ga_show, customer, make_user):
    hold_create_for_places(show=ga_show, quantity=8, actor=make_user())

    with pytest.raises(errors.CapacityExceeded) as caught:
        ticket_booking_create_for_places(
            show=ga_show, quantity=3, customer=customer, actor=customer
        )
    assert caught.value.data["places_left"] == 2

    with time_machine.travel(utcnow() + timedelta(minutes=11), tick=False):
        booking = ticket_booking_create_for_places(
            show=ga_show, quantity=10, customer=customer, actor=customer
        )
    assert booking.ticket.quantity == 10


def test_cancelling_gives_the_places_back(ga_show, customer):
    booking = ticket_booking_create_for_places(
        show=ga_show, quantity=10, customer=customer, actor=customer
    )
    booking_transition(booking=booking, to=BookingStatus.CANCELLED, actor=customer)

    again = ticket_booking_create_for_places(
        show=ga_show, quantity=10, customer=customer, actor=customer
    )
    assert again.is_live


# --- from a hold -----------------------------------------------------------------------------


def test_a_seat_hold_becomes_a_booking_at_the_held_price(seated_show, seats, customer):
    hold = hold_create_for_seats(
        show=seated_show, seat_ids=[seats[0].pk, seats[1].pk], actor=customer
    )
    set_price(seated_show, "standard", "99.00")  # a later price change does not touch the hold

    booking = ticket_booking_create_from_hold(token=hold.token, actor=customer)

    assert booking.price == Decimal("20.00")
    assert booking.ticket.quantity == 2
    claims = list(
        SeatClaim.objects.order_by("seat_id").values_list("seat_id", "booking_id", "hold_id")
    )
    assert claims == [(seats[0].pk, booking.pk, None), (seats[1].pk, booking.pk, None)]
    hold.refresh_from_db()
    assert (hold.state, hold.booking_id) == ("consumed", booking.pk)


def test_a_place_hold_becomes_a_booking(ga_show, customer):
    hold = hold_create_for_places(show=ga_show, quantity=10, actor=customer)

    booking = ticket_booking_create_from_hold(token=hold.token, actor=customer)

    assert booking.ticket.quantity == 10
    assert booking.price == Decimal("200.00")


def test_a_hold_is_used_once(ga_show, customer):
    hold = hold_create_for_places(show=ga_show, quantity=1, actor=customer)
    booking = ticket_booking_create_from_hold(token=hold.token, actor=customer)

    with pytest.raises(errors.HoldUsed) as caught:
        ticket_booking_create_from_hold(token=hold.token, actor=customer)

    assert caught.value.data == {"booking_id": booking.pk}
    assert Booking.objects.count() == 1


def test_an_expired_hold_cannot_be_booked_and_its_seats_are_free(
    seated_show, seats, customer, make_user
):
    hold = hold_create_for_seats(show=seated_show, seat_ids=[seats[0].pk], actor=customer)

    with time_machine.travel(hold.expires_at + timedelta(seconds=1), tick=False):
        with pytest.raises(errors.HoldExpired):
            ticket_booking_create_from_hold(token=hold.token, actor=customer)
        other = make_user()
        booking = ticket_booking_create_for_seats(
            show=seated_show, seat_ids=[seats[0].pk], customer=other, actor=other
        )

    assert booking.customer == other
    assert Booking.objects.count() == 1
    assert not SeatClaim.objects.filter(hold=hold).exists()  # the dead claim was cleared


def test_a_hold_whose_claims_were_freed_meanwhile_is_expired(seated_show, seats, customer):
    hold = hold_create_for_seats(show=seated_show, seat_ids=[seats[0].pk], actor=customer)
    SeatClaim.objects.filter(hold=hold).delete()  # as a buyer would, the instant it lapsed

    with pytest.raises(errors.HoldExpired):
        ticket_booking_create_from_hold(token=hold.token, actor=customer)

    assert not Booking.objects.exists()
    hold.refresh_from_db()
    assert hold.state == "active"


def test_someone_elses_hold_is_not_found(ga_show, customer, make_user):
    hold = hold_create_for_places(show=ga_show, quantity=1, actor=customer)

    with pytest.raises(errors.HoldNotFound):
        ticket_booking_create_from_hold(token=hold.token, actor=make_user())
    with pytest.raises(errors.HoldNotFound):
        ticket_booking_create_from_hold(token="no-such-token", actor=customer)

    assert not Booking.objects.exists()


def test_staff_book_a_customers_hold_for_that_customer(ga_show, customer, make_user):
    staff = make_user(Role.STAFF)
    hold = hold_create_for_places(show=ga_show, quantity=2, actor=customer)

    with pytest.raises(ValidationFailed):
        ticket_booking_create_from_hold(token=hold.token, actor=staff, customer=staff)
    booking = ticket_booking_create_from_hold(token=hold.token, actor=staff, customer=customer)

    assert (booking.customer, booking.created_by) == (customer, staff)


def test_a_released_hold_cannot_be_booked(ga_show, customer):
    from tessera.events.services.holds import hold_release

    hold = hold_create_for_places(show=ga_show, quantity=1, actor=customer)
    hold_release(hold=hold, actor=customer)

    with pytest.raises(errors.HoldReleased):
        ticket_booking_create_from_hold(token=hold.token, actor=customer)


# --- {"event"} -------------------------------------------------------------------------------


def test_an_event_with_one_show_books_a_place(ga_show, customer):
    booking = ticket_booking_create_for_event(
        event=ga_show.event, customer=customer, actor=customer
    )
    assert booking.ticket.show == ga_show
    assert booking.ticket.quantity == 1


def test_an_event_with_several_shows_asks_for_a_show(ga_show, customer):
    second = ShowFactory.create(
        event=ga_show.event,
        venue=ga_show.venue,
        starts_at=ga_show.starts_at + timedelta(days=1),
        ends_at=ga_show.ends_at + timedelta(days=1),
    )

    with pytest.raises(errors.ShowRequired) as caught:
        ticket_booking_create_for_event(event=ga_show.event, customer=customer, actor=customer)

    assert caught.value.data["show_ids"] == [ga_show.pk, second.pk]
    _nothing_written()


def test_an_event_with_no_show_or_reserved_seating(seated_show, customer):
    with pytest.raises(errors.SalesClosed):
        ticket_booking_create_for_event(
            event=EventFactory.create(), customer=customer, actor=customer
        )
    with pytest.raises(errors.ShowRequired):
        ticket_booking_create_for_event(event=seated_show.event, customer=customer, actor=customer)
    _nothing_written()
    assert not Hold.objects.exists()
