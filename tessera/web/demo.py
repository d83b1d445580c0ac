"""Demo data that makes every page show something real: alice gets a name, a cancelled booking
(the "Past and cancelled" tab) and a place on a waiting list; diego, a second customer, holds the
slot she waits for. Runs after the other apps' demos (seed_demo goes in INSTALLED_APPS order);
each booking is found again by its note, so running it twice adds nothing. Also the sites
allowed to frame bruno's booking pages (his shop's site and a local page for trying the embed
snippet). And for the show pages, some seats and places already sold, so that the seat map of
the film's first show and the conference's page show something real: the organizer `olga`
keeps them as house seats."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TextIO

from tessera.accounts.demo import DEMO_PASSWORD
from tessera.accounts.models import User
from tessera.accounts.services import user_register
from tessera.bookings.models import Booking
from tessera.bookings.selectors.availability import availability_slots
from tessera.bookings.services.create import booking_create_time
from tessera.bookings.services.status import booking_cancel
from tessera.core.clock import utcnow
from tessera.events.demo import CONFERENCE, FILM
from tessera.events.models import Seat, Show
from tessera.events.services.tickets import (
    ticket_booking_create_for_places,
    ticket_booking_create_for_seats,
)
from tessera.scheduling.models import Resource

from . import demo_dashboard
from .models import EmbedSettings

CANCELLED = "demo: cancelled court"
HELD = "demo: diego's trim"
WAITING = "demo: alice waits for a trim"
DEMO_ORIGINS = ["https://tessera-cuts.example", "http://localhost:8080"]
HOUSE = "demo: house seats"
# Row -> seat numbers, at the film's first show in Screen 1.
HOUSE_SEATS = {"D": range(6, 12), "G": range(3, 9), "J": range(7, 11)}
HOUSE_PLACES = 40


def _first_free(resource: Resource, days_ahead: int, minutes: int) -> datetime | None:
    start = utcnow() + timedelta(days=days_ahead)
    slots = availability_slots(
        resources=[resource],
        start=start,
        end=start + timedelta(days=7),
        duration=timedelta(minutes=minutes),
        step=timedelta(minutes=minutes),
        now=utcnow(),
    )
    return slots[0].start if slots else None


def _first_show(title: str, **filters: object) -> Show | None:
    return (
        Show.objects.filter(event__title=title, starts_at__gt=utcnow(), **filters)
        .order_by("starts_at", "pk")
        .first()
    )


def _house_seats(out: TextIO) -> None:
    olga = User.objects.filter(username="olga").first()
    if olga is None or Booking.objects.filter(customer=olga, notes=HOUSE).exists():
        return
    film = _first_show(FILM, hall__name="Screen 1")
    if film is not None and film.hall is not None:
        seats = [
            seat.pk
            for seat in Seat.objects.filter(hall=film.hall)
            if seat.number in HOUSE_SEATS.get(seat.row, ())
        ]
        ticket_booking_create_for_seats(
            show=film, seat_ids=seats, customer=olga, actor=olga, notes=HOUSE
        )
        out.write(f"  shows: {len(seats)} house seats taken at {FILM}'s first show (Screen 1)\n")
    conference = _first_show(CONFERENCE)
    if conference is not None:
        ticket_booking_create_for_places(
            show=conference, quantity=HOUSE_PLACES, customer=olga, actor=olga, notes=HOUSE
        )
        out.write(f"  shows: {HOUSE_PLACES} places taken at {CONFERENCE}\n")


def load(out: TextIO) -> None:
    alice = User.objects.get(username="alice")
    if not alice.first_name:
        alice.first_name, alice.last_name = "Alice", "Martin"
        alice.save(update_fields=["first_name", "last_name"])
    diego = User.objects.filter(username="diego").first() or user_register(
        username="diego", email="diego@demo.tessera.local", password=DEMO_PASSWORD
    )
    court = Resource.objects.get(owner__username="bruno", name="Academy tennis court")
    carla = Resource.objects.get(owner__username="bruno", name__startswith="Carla")
    made = 0
    if not Booking.objects.filter(customer=alice, notes=CANCELLED).exists():
        start = _first_free(court, 3, 60)
        if start is not None:
            booking = booking_create_time(
                actor=alice, resource_ids=[court.pk], start=start, notes=CANCELLED
            )
            booking_cancel(booking_id=booking.pk, actor=alice, reason="rain forecast")
            made += 1
    if not Booking.objects.filter(customer=alice, notes=WAITING).exists():
        start = _first_free(carla, 5, 30)
        if start is not None:
            booking_create_time(actor=diego, resource_ids=[carla.pk], start=start, notes=HELD)
            booking_create_time(
                actor=alice, resource_ids=[carla.pk], start=start, notes=WAITING, waitlist=True
            )
            made += 1
    out.write(f"  demo for the pages: alice's cancelled and waiting bookings ({made} new)\n")
    _, created = EmbedSettings.objects.get_or_create(
        owner=User.objects.get(username="bruno"), defaults={"allowed_origins": DEMO_ORIGINS}
    )
    out.write(
        f"  demo embed sites: bruno's pages on {', '.join(DEMO_ORIGINS)} ({int(created)} new)\n"
    )
    _house_seats(out)
    demo_dashboard.load(out)
