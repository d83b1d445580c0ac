"""Demo of the show pages: some seats and places already sold, so that the seat map of the
film's first show and the conference's page show something real (taken seats, fewer places
left). The organizer `olga` keeps them as house seats. Found again by their note, so running
the demo twice books nothing new."""

from __future__ import annotations

from typing import TextIO

from tessera.accounts.models import User
from tessera.bookings.models import Booking
from tessera.core.clock import utcnow
from tessera.events.demo import CONFERENCE, FILM
from tessera.events.models import Seat, Show
from tessera.events.services.tickets import (
    ticket_booking_create_for_places,
    ticket_booking_create_for_seats,
)

NOTE = "demo: house seats"
# Row -> seat numbers, at the film's first show in Screen 1.
HOUSE_SEATS = {"D": range(6, 12), "G": range(3, 9), "J": range(7, 11)}
HOUSE_PLACES = 40


def _first_show(title: str, **filters: object) -> Show | None:
    return (
        Show.objects.filter(event__title=title, starts_at__gt=utcnow(), **filters)
        .order_by("starts_at", "pk")
        .first()
    )


def load(out: TextIO) -> None:
    olga = User.objects.filter(username="olga").first()
    if olga is None or Booking.objects.filter(customer=olga, notes=NOTE).exists():
        return
    film = _first_show(FILM, hall__name="Screen 1")
    if film is not None and film.hall is not None:
        seats = [
            seat.pk
            for seat in Seat.objects.filter(hall=film.hall)
            if seat.number in HOUSE_SEATS.get(seat.row, ())
        ]
        ticket_booking_create_for_seats(
            show=film, seat_ids=seats, customer=olga, actor=olga, notes=NOTE
        )
        out.write(f"  shows: {len(seats)} house seats taken at {FILM}'s first show (Screen 1)\n")
    conference = _first_show(CONFERENCE)
    if conference is not None:
        ticket_booking_create_for_places(
            show=conference, quantity=HOUSE_PLACES, customer=olga, actor=olga, notes=NOTE
        )
        out.write(f"  shows: {HOUSE_PLACES} places taken at {CONFERENCE}\n")
