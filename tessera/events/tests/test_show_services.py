"""Events and shows: scheduling, no overlaps in a hall, capacity, moving and cancelling."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

import pytest

from tessera.bookings.models import BookingStatus
from tessera.core.clock import utcnow
from tessera.core.errors import PermissionDenied, ValidationFailed
from tessera.events import errors
from tessera.events.models import Hold, SeatClaim, Seating, Show
from tessera.events.services.holds import hold_create_for_places, hold_create_for_seats
from tessera.events.services.shows import (
    event_create,
    event_create_with_show,
    show_cancel,
    show_create,
    show_update,
)
from tessera.events.services.tickets import (
    ticket_booking_create_for_places,
    ticket_booking_create_for_seats,
)

from .factories import EventFactory, HallFactory, VenueFactory, add_seats

pytestmark = pytest.mark.django_db

SOON = datetime(2031, 3, 1, 18, 0, tzinfo=UTC)


@pytest.fixture
def venue(organizer):
    return VenueFactory.create(owner=organizer, capacity=300, timezone="Europe/Berlin")


@pytest.fixture
def event(organizer):
    return EventFactory.create(owner=organizer, duration_minutes=90)


@pytest.fixture
def hall(venue):
    hall = HallFactory.create(venue=venue)
    add_seats(hall, "A-B", "1-5")
    return hall


def test_the_old_event_shape_makes_one_general_admission_show(organizer, venue):
    event = event_create_with_show(
        actor=organizer,
        title="Tech Conference",
        description="About tech.",
        venue=venue,
        day=date(2031, 8, 1),
        at=time(10, 0),
        capacity=200,
    )

    show = event.shows.get()
    assert show.seating == Seating.GENERAL
    assert show.capacity == 200
    assert show.starts_at == datetime(2031, 8, 1, 8, 0, tzinfo=UTC)  # 10:00 in Berlin (CEST)
    assert show.local_date == date(2031, 8, 1)
    assert show.ends_at - show.starts_at == timedelta(minutes=120)


def test_a_local_time_skipped_by_daylight_saving_is_refused(organizer, venue):
    with pytest.raises(ValidationFailed) as caught:
        event_create_with_show(
            actor=organizer,
            title="Too early",
            venue=venue,
            day=date(2031, 3, 30),
            at=time(2, 30),
            capacity=10,
        )
    assert caught.value.code == "nonexistent_local_time"
    assert not Show.objects.exists()


def test_a_customer_cannot_create_events(customer):
    with pytest.raises(PermissionDenied):
        event_create(actor=customer, title="Mine")


def test_a_show_in_a_hall_with_seats_is_reserved_and_ends_after_the_duration(
    organizer, event, venue, hall
):
    show = show_create(event=event, venue=venue, hall=hall, actor=organizer, starts_at=SOON)

    assert show.seating == Seating.RESERVED
    assert show.capacity is None
    assert show.ends_at == SOON + timedelta(minutes=90)
    assert show.currency == "EUR"


@pytest.mark.parametrize(
    ("kwargs", "code", "field"),
    [
        ({"ends_at": SOON}, "end_before_start", "ends_at"),
        ({"starts_at": datetime(2001, 1, 1, tzinfo=UTC)}, "in_past", "starts_at"),
        ({"starts_at": datetime(2031, 1, 1)}, "naive_datetime", "starts_at"),
        ({"hall": None, "seating": "reserved"}, "required", "hall"),
        ({"capacity": 10, "seating": "reserved"}, "capacity_with_seats", "capacity"),
        ({"seating": "general"}, "required", "capacity"),
        ({"seating": "general", "capacity": 301}, "exceeds_venue_capacity", "capacity"),
    ],
)
def test_what_show_create_refuses(organizer, event, venue, hall, kwargs, code, field):
    args = {"event": event, "venue": venue, "hall": hall, "actor": organizer, "starts_at": SOON}
    with pytest.raises(ValidationFailed) as caught:
        show_create(**{**args, **kwargs})
    assert (caught.value.code, caught.value.field) == (code, field)
    assert not Show.objects.exists()


def test_a_hall_of_another_venue_or_a_hall_without_seats(organizer, event, venue):
    other_hall = HallFactory.create(venue=VenueFactory.create(owner=organizer))
    add_seats(other_hall)
    with pytest.raises(ValidationFailed) as caught:
        show_create(event=event, venue=venue, hall=other_hall, actor=organizer, starts_at=SOON)
    assert caught.value.code == "hall_not_in_venue"
    empty = HallFactory.create(venue=venue)
    with pytest.raises(ValidationFailed) as caught:
        show_create(
            event=event,
            venue=venue,
            hall=empty,
            actor=organizer,
            starts_at=SOON,
            seating="reserved",
        )
    assert caught.value.code == "hall_has_no_seats"


def test_a_show_only_in_the_organizers_own_venue(organizer, event):
    with pytest.raises(PermissionDenied):
        show_create(
            event=event, venue=VenueFactory.create(), actor=organizer, starts_at=SOON, capacity=5
        )


def test_two_shows_never_overlap_in_one_hall(organizer, event, venue, hall):
    first = show_create(event=event, venue=venue, hall=hall, actor=organizer, starts_at=SOON)

    with pytest.raises(errors.ShowOverlap) as caught:
        show_create(
            event=event,
            venue=venue,
            hall=hall,
            actor=organizer,
            starts_at=SOON + timedelta(minutes=89),
        )
    assert caught.value.data == {"show_id": first.pk}

    back_to_back = show_create(
        event=event, venue=venue, hall=hall, actor=organizer, starts_at=first.ends_at
    )
    other_hall = HallFactory.create(venue=venue)
    add_seats(other_hall)
    same_time_elsewhere = show_create(
        event=event, venue=venue, hall=other_hall, actor=organizer, starts_at=SOON
    )
    assert back_to_back.pk
    assert same_time_elsewhere.pk
    assert Show.objects.count() == 3


def test_a_cancelled_show_frees_its_hall(organizer, event, venue, hall):
    first = show_create(event=event, venue=venue, hall=hall, actor=organizer, starts_at=SOON)
    show_cancel(show=first, actor=organizer)

    again = show_create(event=event, venue=venue, hall=hall, actor=organizer, starts_at=SOON)
    assert again.pk != first.pk


@pytest.mark.postgres
def test_the_database_refuses_overlapping_shows_even_without_the_check(event, venue, hall):
    from django.db import IntegrityError, transaction

    Show.objects.create(
        event=event,
        venue=venue,
        hall=hall,
        starts_at=SOON,
        ends_at=SOON + timedelta(hours=2),
        local_date=SOON.date(),
        seating="reserved",
        currency="EUR",
    )
    with (
        pytest.raises(IntegrityError, match="events_show_no_overlap_in_hall"),
        transaction.atomic(),
    ):
        Show.objects.create(
            event=event,
            venue=venue,
            hall=hall,
            starts_at=SOON + timedelta(hours=1),
            ends_at=SOON + timedelta(hours=3),
            local_date=SOON.date(),
            seating="reserved",
            currency="EUR",
        )


def test_moving_a_show_moves_its_bookings_and_checks_overlaps(
    organizer, event, venue, hall, customer
):
    show = show_create(event=event, venue=venue, hall=hall, actor=organizer, starts_at=SOON)
    later = show_create(
        event=event, venue=venue, hall=hall, actor=organizer, starts_at=SOON + timedelta(hours=3)
    )
    seat = hall.seats.first()
    booking = ticket_booking_create_for_seats(
        show=show, seat_ids=[seat.pk], customer=customer, actor=customer
    )

    with pytest.raises(errors.ShowOverlap):
        show_update(show=show, actor=organizer, starts_at=later.starts_at - timedelta(minutes=30))
    show_update(show=show, actor=organizer, starts_at=SOON + timedelta(days=1))

    booking.refresh_from_db()
    assert booking.starts_at == SOON + timedelta(days=1)
    assert booking.ends_at == SOON + timedelta(days=1, minutes=90)


def test_capacity_never_goes_below_what_is_sold_and_held(organizer, event, venue, customer):
    show = show_create(event=event, venue=venue, actor=organizer, starts_at=SOON, capacity=10)
    ticket_booking_create_for_places(show=show, quantity=4, customer=customer, actor=customer)
    hold_create_for_places(show=show, quantity=3, actor=customer)

    with pytest.raises(errors.CapacityBelowSold) as caught:
        show_update(show=show, actor=organizer, capacity=6)
    assert caught.value.data == {"places_taken": 7, "capacity": 6}

    assert show_update(show=show, actor=organizer, capacity=7, price=Decimal("5.00")).capacity == 7


def test_cancelling_a_show_cancels_its_bookings_and_releases_its_holds(
    organizer, event, venue, hall, customer
):
    show = show_create(event=event, venue=venue, hall=hall, actor=organizer, starts_at=SOON)
    seats = list(hall.seats.order_by("pk"))
    booking = ticket_booking_create_for_seats(
        show=show, seat_ids=[seats[0].pk], customer=customer, actor=customer
    )
    hold = hold_create_for_seats(show=show, seat_ids=[seats[1].pk], actor=customer)

    show_cancel(show=show, actor=organizer, reason="Storm")
    show_cancel(show=show, actor=organizer)  # twice: nothing more happens

    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED
    assert booking.cancel_reason == "Storm"
    assert booking.history.count() == 2
    assert Hold.objects.get(pk=hold.pk).state == "released"
    assert not SeatClaim.objects.filter(is_live=True).exists()


def test_a_show_that_started_cannot_be_cancelled_or_moved(organizer, event, venue):
    show = show_create(event=event, venue=venue, actor=organizer, starts_at=SOON, capacity=5)
    later = SOON + timedelta(minutes=1)
    with pytest.raises(errors.ShowStarted):
        show_cancel(show=show, actor=organizer, now=later)
    with pytest.raises(errors.ShowStarted):
        show_update(show=show, actor=organizer, starts_at=SOON + timedelta(days=1), now=later)


def test_only_the_events_organizer_manages_its_shows(organizer, event, venue, make_user):
    from tessera.accounts.roles import Role

    show = show_create(event=event, venue=venue, actor=organizer, starts_at=SOON, capacity=5)
    with pytest.raises(PermissionDenied):
        show_cancel(show=show, actor=make_user(Role.ORGANIZER))
    assert utcnow() < show.starts_at
