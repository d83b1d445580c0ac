"""The demo gives the show pages something to see: seats and places already sold."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client

from tessera.bookings.models import Booking
from tessera.events.demo import CONFERENCE, FILM
from tessera.events.models import Show

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_seated_show_with_taken_seats_and_a_general_admission_show(
    settings: Any, tmp_path: Any, client: Client
) -> None:
    settings.DATA_DIR = tmp_path
    call_command("seed_demo", stdout=io.StringIO())
    film = Show.objects.filter(event__title=FILM, hall__name="Screen 1").order_by("starts_at")[0]
    seats = client.get(f"/api/shows/{film.pk}/seats/").json()
    assert seats["counts"]["booked"] == 16 and seats["counts"]["blocked"] == 2
    conference = Show.objects.get(event__title=CONFERENCE)
    page = client.get(f"/shows/{conference.pk}/").content.decode()
    assert "260 places left" in page
    assert "Choose your seats" in client.get(f"/shows/{film.pk}/").content.decode()
    bookings = Booking.objects.count()
    call_command("seed_demo", stdout=io.StringIO())
    assert Booking.objects.count() == bookings
