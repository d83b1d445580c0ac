"""Waiting lists of general-admission shows: join when too few places are left, promotion of
the first in line whose quantity fits when places free, nothing for a cancelled show."""

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
