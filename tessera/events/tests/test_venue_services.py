"""Venues, halls and layouts through their services."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from tessera.accounts.roles import Role
from tessera.core.errors import PermissionDenied, ValidationFailed
from tessera.events.domain.layout import build_layout
from tessera.events.errors import LayoutInUse
from tessera.events.models import Hall, Seat, Venue
from tessera.events.services.holds import hold_create_for_seats
from tessera.events.services.layout import hall_layout_apply
from tessera.events.services.venues import hall_create, seat_update, venue_create, venue_update

from .factories import HallFactory, ShowFactory, VenueFactory

pytestmark = pytest.mark.django_db


def test_an_organizer_creates_a_venue_they_own(organizer):
    venue = venue_create(
        actor=organizer, name="Hall", capacity=200, location="1 Main St", facilities="WiFi"
    )
    assert venue.owner == organizer
    assert venue.timezone == "UTC"


def test_a_customer_cannot_create_a_venue(customer):
    with pytest.raises(PermissionDenied):
        venue_create(actor=customer, name="Hall", capacity=200)
    assert not Venue.objects.exists()


def test_staff_create_a_venue_for_an_organizer_but_not_for_a_customer(
    make_user, organizer, customer
):
    staff = make_user(Role.STAFF)
    assert venue_create(actor=staff, name="V", capacity=1, owner=organizer).owner == organizer
    with pytest.raises(ValidationFailed) as caught:
        venue_create(actor=staff, name="V", capacity=1, owner=customer)
    assert caught.value.code == "not_an_organizer"


def test_an_organizer_cannot_create_for_someone_else(organizer, make_user):
    with pytest.raises(PermissionDenied):
        venue_create(actor=organizer, name="V", capacity=1, owner=make_user(Role.ORGANIZER))


def test_an_unknown_time_zone_is_refused(organizer):
    with pytest.raises(ValidationFailed) as caught:
        venue_create(actor=organizer, name="V", capacity=1, timezone="Mars/Olympus")
    assert (caught.value.code, caught.value.field) == ("invalid_timezone", "timezone")


def test_a_new_time_zone_moves_the_local_dates_of_the_shows(organizer):
    starts = datetime(2031, 5, 1, 23, 30, tzinfo=UTC)
    show = ShowFactory.create(
        event__owner=organizer,
        venue__owner=organizer,
        venue__timezone="UTC",
        starts_at=starts,
        local_date=date(2031, 5, 1),
    )

    venue_update(venue=show.venue, actor=organizer, timezone="Asia/Tokyo")

    show.refresh_from_db()
    assert show.local_date == date(2031, 5, 2)


def test_only_the_owner_changes_a_venue(organizer, make_user):
    venue = VenueFactory.create(owner=organizer)
    with pytest.raises(PermissionDenied):
        venue_update(venue=venue, actor=make_user(Role.ORGANIZER), name="Mine now")


def test_hall_names_are_unique_in_a_venue(organizer):
    venue = VenueFactory.create(owner=organizer)
    hall_create(venue=venue, actor=organizer, name="Screen 1")
    with pytest.raises(ValidationFailed) as caught:
        hall_create(venue=venue, actor=organizer, name="Screen 1")
    assert caught.value.code == "unique"
    assert Hall.objects.count() == 1


def test_a_layout_is_applied_and_reapplied_keeping_seat_ids(organizer):
    hall = HallFactory.create(venue__owner=organizer)
    first = hall_layout_apply(
        hall=hall, actor=organizer, seats=build_layout([{"rows": "A-B", "numbers": "1-3"}])
    )
    assert (first.created, first.updated, first.removed, first.total) == (6, 0, 0, 6)
    a1 = Seat.objects.get(hall=hall, row="A", number=1)
    version = Hall.objects.get(pk=hall.pk).layout_version

    second = hall_layout_apply(
        hall=hall,
        actor=organizer,
        seats=build_layout([{"rows": "A", "numbers": "1-4", "category": "vip"}], blocked=["A4"]),
    )

    assert (second.created, second.updated, second.removed, second.total) == (1, 3, 3, 4)
    a1.refresh_from_db()
    assert a1.category == "vip"
    assert Seat.objects.get(hall=hall, row="A", number=4).blocked
    assert Hall.objects.get(pk=hall.pk).layout_version > version


def test_a_seat_that_was_held_or_sold_cannot_leave_the_layout(organizer, customer):
    from .factories import ReservedShowFactory

    show = ReservedShowFactory.create(event__owner=organizer, venue__owner=organizer)
    seat = Seat.objects.get(hall=show.hall, row="C", number=4)
    hold_create_for_seats(show=show, seat_ids=[seat.pk], actor=customer)

    with pytest.raises(LayoutInUse) as caught:
        hall_layout_apply(
            hall=Hall.objects.get(shows=show),
            actor=organizer,
            seats=build_layout([{"rows": "A-B", "numbers": "1-4"}]),
        )

    assert caught.value.data["seats"] == ["C4"]
    assert Seat.objects.filter(hall=show.hall).count() == 12


def test_seat_flags_change_one_by_one(organizer):
    from .factories import add_seats

    hall = HallFactory.create(venue__owner=organizer)
    seat = add_seats(hall, "A", "1")[0]

    seat_update(seat=seat, actor=organizer, blocked=True, category="obstructed")

    seat.refresh_from_db()
    assert (seat.blocked, seat.category, seat.accessible) == (True, "obstructed", False)
