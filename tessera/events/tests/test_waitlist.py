"""Waiting lists of general-admission shows: join when too few places are left, promotion of
the first in line whose quantity fits when places free, nothing for a cancelled show."""

from decimal import Decimal

import pytest

from tessera.bookings.models import Booking, WaitlistEntry
from tessera.bookings.services.status import booking_cancel
from tessera.events import errors
from tessera.events.models import TicketBooking
from tessera.events.services.shows import show_cancel
from tessera.events.services.tickets import ticket_booking_create_for_places
from tessera.notifications.models import OutboxMessage

pytestmark = pytest.mark.django_db
URL = "/api/bookings/"


def places(show, quantity, customer, **extra):
    return ticket_booking_create_for_places(
        show=show, quantity=quantity, customer=customer, actor=customer, **extra
    )


def fresh(booking: Booking) -> Booking:
    return Booking.objects.get(pk=booking.pk)


def test_join_through_the_api_and_see_your_place(ga_show, customer, make_user, client_for):
    places(ga_show, 9, customer)
    api = client_for(make_user())
    body = {"show_id": ga_show.pk, "quantity": 2, "waitlist": True}
    response = api.post(URL, body, format="json")
    assert response.status_code == 201, response.json()
    assert (response.json()["status"], response.json()["waitlist"]) == (
        "waitlisted",
        {"position": 1, "quantity": 2},
    )
    assert not TicketBooking.objects.get(pk=response.json()["id"]).is_live
    assert OutboxMessage.objects.filter(event_type="booking.waitlisted").count() == 1
    again = api.post(URL, body, format="json")
    assert (again.status_code, again.json()["code"]) == (409, "already_waitlisted")


def test_without_asking_too_few_places_is_refused(ga_show, customer, make_user):
    places(ga_show, 9, customer)
    with pytest.raises(errors.CapacityExceeded):
        places(ga_show, 2, make_user())
    assert not WaitlistEntry.objects.exists()
    assert Booking.objects.count() == 1


def test_a_freed_place_goes_to_the_first_whose_quantity_fits(ga_show, customer, make_user):
    held = places(ga_show, 9, customer)
    small = places(ga_show, 1, make_user())  # the last place
    big = places(ga_show, 3, make_user(), waitlist=True)
    one = places(ga_show, 1, make_user(), waitlist=True)
    assert (big.status, one.status) == ("waitlisted", "waitlisted")
    cancelled = booking_cancel(booking_id=small.pk, actor=small.customer)
    assert cancelled.promoted_booking_ids == [one.pk]
    assert (fresh(big).status, fresh(one).status) == ("waitlisted", "confirmed")
    assert TicketBooking.objects.get(pk=one.pk).is_live
    booking_cancel(booking_id=held.pk, actor=customer)
    assert fresh(big).status == "confirmed"
    live = TicketBooking.objects.filter(show=ga_show, is_live=True)
    assert sum(live.values_list("quantity", flat=True)) <= ga_show.capacity


def test_a_cancelled_show_promotes_nobody_and_cancels_its_waiting_list(
    ga_show, customer, organizer, make_user
):
    places(ga_show, 10, customer)
    waiting = places(ga_show, 1, make_user(), waitlist=True)
    show_cancel(show=ga_show, actor=organizer)
    assert fresh(waiting).status == "cancelled"
    assert not OutboxMessage.objects.filter(event_type="booking.promoted").exists()


class TestCapacityRaised:
    def test_raising_the_capacity_promotes_those_that_now_fit_in_line_order(
        self, ga_show, customer, organizer_api, make_user
    ):
        places(ga_show, 10, customer)
        big = places(ga_show, 3, make_user(), waitlist=True)
        one = places(ga_show, 1, make_user(), waitlist=True)
        two = places(ga_show, 2, make_user(), waitlist=True)
        response = organizer_api.patch(f"/api/shows/{ga_show.pk}/", {"capacity": 12})
        assert response.status_code == 200, response.json()
        # Two places: the 3 does not fit and waits; the 1 fits; then 1 place for the 2: no.
        assert [fresh(b).status for b in (big, one, two)] == [
            "waitlisted",
            "confirmed",
            "waitlisted",
        ]
        assert OutboxMessage.objects.filter(event_type="booking.promoted").count() == 1
        organizer_api.patch(f"/api/shows/{ga_show.pk}/", {"capacity": 16})
        assert [fresh(b).status for b in (big, one, two)] == ["confirmed"] * 3
        live = TicketBooking.objects.filter(show=ga_show, is_live=True)
        assert sum(live.values_list("quantity", flat=True)) == 16

    def test_lowering_or_other_changes_promote_nobody(
        self, ga_show, customer, organizer, make_user
    ):
        from tessera.events.services.shows import show_update

        places(ga_show, 8, customer)
        waiting = places(ga_show, 3, make_user(), waitlist=True)
        show_update(show=ga_show, actor=organizer, capacity=9)
        show_update(show=ga_show, actor=organizer, price=Decimal("12.00"))
        assert fresh(waiting).status == "waitlisted"

    def test_a_refused_raise_promotes_nobody(self, ga_show, customer, organizer, make_user):
        from tessera.core.errors import ValidationFailed
        from tessera.events.services.shows import show_update

        places(ga_show, 10, customer)
        waiting = places(ga_show, 1, make_user(), waitlist=True)
        with pytest.raises(ValidationFailed) as raised:
            show_update(show=ga_show, actor=organizer, capacity=10**6)  # above the venue's
        assert raised.value.code == "exceeds_venue_capacity"
        assert fresh(waiting).status == "waitlisted"

    def test_with_offers_the_promoted_are_pending(
        self, settings, ga_show, customer, organizer, make_user
    ):
        from tessera.events.services.shows import show_update

        settings.TESSERA = {**settings.TESSERA, "WAITLIST_PROMOTE_TO": "pending"}
        places(ga_show, 10, customer)
        waiting = places(ga_show, 2, make_user(), waitlist=True)
        show_update(show=ga_show, actor=organizer, capacity=12)
        assert fresh(waiting).status == "pending"
        assert WaitlistEntry.objects.get(pk=waiting.pk).offered_at is not None
