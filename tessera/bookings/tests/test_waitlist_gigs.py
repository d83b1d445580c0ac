"""Waiting lists of gigs: a gig waits for all its participants at once; any participant's freed
time may make room, and it is promoted only when every one is free (all or nothing)."""

from datetime import time

import pytest

from tessera.accounts.roles import Role
from tessera.bookings.models import Booking, TimeAllocation, WaitlistEntry
from tessera.notifications.models import OutboxMessage
from tessera.scheduling.tests.factories import make_resource

from .conftest import at

pytestmark = pytest.mark.django_db
URL = "/api/bookings/"
EVENING = [(d, time(18), time(23)) for d in range(7)]


@pytest.fixture
def musician(make_user):
    return make_resource(kind="musician", owner=make_user(Role.PROVIDER), hours=EVENING)


@pytest.fixture
def venue(make_user):
    return make_resource(kind="venue", owner=make_user(Role.PROVIDER), hours=EVENING)


def book(api, resources, **extra) -> dict:
    body = {"start_time": at(5, 20), "duration": 120, **extra}
    if len(resources) == 1:
        body["resource"] = resources[0].pk
    else:
        body["resources"] = [r.pk for r in resources]
    response = api.post(URL, body, format="json")
    assert response.status_code == 201, response.json()
    return response.json()


def status(booking: dict) -> str:
    return Booking.objects.get(pk=booking["id"]).status


def live(booking: dict) -> list[bool]:
    rows = TimeAllocation.objects.filter(booking_id=booking["id"]).order_by("resource_id")
    return [a.is_live for a in rows]


@pytest.fixture
def people(client_for, make_user):
    return [client_for(make_user()) for _ in range(4)]


def test_a_full_gig_waits_for_all_its_participants(musician, venue, people):
    taken = book(people[0], [musician])
    gig = book(people[1], [venue, musician], waitlist=True)
    assert (gig["kind"], gig["status"], gig["waitlist"]) == (
        "gig",
        "waitlisted",
        {"position": 1, "quantity": 1},
    )
    assert live(gig) == [False, False]  # holds nothing, the free venue neither
    same = book(people[2], [musician, venue], waitlist=True)  # same list, any order
    assert same["waitlist"]["position"] == 2
    assert WaitlistEntry.objects.values("list_key").distinct().count() == 1
    again = people[1].post(
        URL,
        {
            "resources": [musician.pk, venue.pk],
            "start_time": at(5, 20),
            "duration": 120,
            "waitlist": True,
        },
        format="json",
    )
    assert (again.status_code, again.json()["code"]) == (409, "already_waitlisted")
    assert status(taken) == "confirmed"


def test_a_free_gig_is_simply_booked(musician, venue, people):
    gig = book(people[0], [musician, venue], waitlist=True)
    assert (gig["status"], gig["waitlist"]) == ("confirmed", None)


def test_other_refusals_of_a_gig_stand(musician, venue, people):
    book(people[0], [musician])
    response = people[1].post(
        URL,
        {
            "resources": [musician.pk, venue.pk],
            "start_time": at(5, 22),
            "duration": 120,
            "waitlist": True,
        },
        format="json",
    )  # the musician is full at 22:00, and both close at 23:00: outside availability wins
    assert (response.status_code, response.json()["code"]) == (409, "outside_availability")
    assert not WaitlistEntry.objects.exists()


def test_promoted_only_when_every_participant_is_free(musician, venue, people):
    on_musician = book(people[0], [musician])
    on_venue = book(people[1], [venue])
    gig = book(people[2], [musician, venue], waitlist=True)

    response = people[0].post(f"{URL}{on_musician['id']}/cancel/").json()
    assert response["message"] is None  # the venue is still taken: nobody promoted
    assert (status(gig), live(gig)) == ("waitlisted", [False, False])

    response = people[1].post(f"{URL}{on_venue['id']}/cancel/").json()
    assert response["message"] == "Booking cancelled; next in line notified."
    assert (status(gig), live(gig)) == ("confirmed", [True, True])
    promoted = OutboxMessage.objects.get(event_type="booking.promoted")
    assert promoted.payload["reference"] == gig["reference"]
    assert sorted(promoted.payload["notify_user_ids"]) == sorted(
        [musician.owner_id, venue.owner_id]
    )


def test_the_first_that_fits_wins_a_single_freed_place(musician, venue, people):
    """A gig first in line does not hold back a place it cannot use yet."""
    on_musician = book(people[0], [musician])
    book(people[1], [venue])
    gig = book(people[2], [musician, venue], waitlist=True)
    single = book(people[3], [musician], waitlist=True)
    people[0].post(f"{URL}{on_musician['id']}/cancel/")
    assert (status(gig), status(single)) == ("waitlisted", "confirmed")


def test_a_gig_is_promoted_before_a_later_single_when_it_fits(musician, venue, people):
    on_musician = book(people[0], [musician])
    gig = book(people[2], [musician, venue], waitlist=True)
    single = book(people[3], [musician], waitlist=True)
    people[0].post(f"{URL}{on_musician['id']}/cancel/")
    assert (status(gig), status(single)) == ("confirmed", "waitlisted")
    assert live(gig) == [True, True]


def test_raising_a_participants_capacity_promotes_a_gig(musician, venue, people):
    from tessera.scheduling.services.resources import resource_update

    book(people[0], [musician])
    gig = book(people[1], [musician, venue], waitlist=True)
    resource_update(resource_id=musician.pk, actor=musician.owner, capacity=2)
    assert (status(gig), live(gig)) == ("confirmed", [True, True])


def test_a_gig_needing_approval_waits_for_each_owner(musician, venue, people, client_for):
    venue.approval_required = True
    venue.save()
    on_musician = book(people[0], [musician])
    gig = book(people[1], [musician, venue], waitlist=True)
    people[0].post(f"{URL}{on_musician['id']}/cancel/")
    assert status(gig) == "pending"
    body = client_for(venue.owner).post(f"{URL}{gig['id']}/confirm/").json()
    assert body["status"] == "confirmed"
