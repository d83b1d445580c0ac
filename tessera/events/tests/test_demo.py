"""The demo data loads, makes sense, and loading it again changes nothing."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from tessera.bookings.models import Booking
from tessera.events.models import Event, Hall, Seat, Show, Venue

pytestmark = pytest.mark.django_db


def _counts() -> tuple[int, ...]:
    return tuple(m.objects.count() for m in (Venue, Hall, Seat, Event, Show, Booking))


def test_seed_demo_is_idempotent(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    call_command("seed_demo", stdout=io.StringIO())
    first = _counts()
    call_command("seed_demo", stdout=io.StringIO())

    assert _counts() == first
    cinema = Venue.objects.get(name="Tessera Cinema")
    assert cinema.owner.username == "olga"
    assert cinema.halls.count() == 2
    film = Event.objects.get(title="Northern Lights")
    assert film.shows.count() == 21
    assert {show.hall_id for show in film.shows.all()} == set(
        cinema.halls.values_list("pk", flat=True)
    )
    conference = Event.objects.get(title="Open Booking Summit").shows.get()
    assert (conference.seating, conference.capacity) == ("general", 300)
    # The only tickets sold are the web demo's house seats and places (tessera/web/demo.py).
    tickets = Booking.objects.filter(kind__in=["seating", "admission"])
    assert set(tickets.values_list("customer__username", "notes")) == {
        ("olga", "demo: house seats")
    }
