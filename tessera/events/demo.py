"""Demo data: a cinema with two screens and a film showing all week, and a conference with
general admission. Owned by the demo organizer `olga`; every seat and place is still for sale
(alice can try them). Idempotent: what exists (by name) is left alone."""

from __future__ import annotations

from datetime import date, time, timedelta
from decimal import Decimal
from typing import TextIO

from tessera.accounts.models import User
from tessera.core.clock import utcnow

from .domain.layout import SeatSpec, build_layout
from .models import Event, Hall, Venue
from .services.shows import event_create, event_create_with_show, local_to_utc, show_create
from .services.venues import hall_create, venue_create

CINEMA = "Tessera Cinema"
FILM = "Northern Lights"
CONFERENCE_VENUE = "Riverside Conference Centre"
CONFERENCE = "Open Booking Summit"

SCREEN_1 = build_layout(
    [
        {"rows": "A-H", "numbers": "1-16", "gaps": [], "category": "standard"},
        {"rows": "J-K", "numbers": "1-16", "category": "premium"},
    ],
    accessible=["A1", "A2", "A15", "A16"],
    blocked=["H8", "H9"],  # the projectionist's desk
)
SCREEN_2 = build_layout([{"rows": "A-F", "numbers": "1-12", "gaps": [6, 7]}])


def _venue(olga: User, name: str, **fields: object) -> Venue:
    venue = Venue.objects.filter(owner=olga, name=name).first()
    return venue or venue_create(actor=olga, name=name, **fields)  # type: ignore[arg-type]


def _hall(olga: User, venue: Venue, name: str, seats: list[SeatSpec]) -> Hall:
    hall = Hall.objects.filter(venue=venue, name=name).first()
    return hall or hall_create(venue=venue, actor=olga, name=name, seats=seats)


def _film_week(olga: User, cinema: Venue, screens: list[Hall], out: TextIO) -> None:
    if Event.objects.filter(owner=olga, title=FILM).exists():
        return
    film = event_create(
        actor=olga,
        title=FILM,
        description="A ferry captain, a stranded choir and one very long night in Tromsø.",
        category="drama",
        duration_minutes=110,
    )
    first_day = (utcnow() + timedelta(days=1)).date()
    prices = {"standard": Decimal("11.50"), "premium": Decimal("15.00")}
    shows = []
    for offset in range(7):
        day = first_day + timedelta(days=offset)
        for hall, at in (
            (screens[0], time(18, 0)),
            (screens[0], time(21, 0)),
            (screens[1], time(20, 0)),
        ):
            shows.append(
                show_create(
                    event=film,
                    venue=cinema,
                    hall=hall,
                    actor=olga,
                    starts_at=local_to_utc(day, at, cinema.timezone),
                    price=Decimal("11.50"),
                    prices=prices,
                )
            )
    out.write(f"  events: {FILM} ({len(shows)} shows over a week at {CINEMA})\n")


def _conference(olga: User, out: TextIO) -> None:
    if Event.objects.filter(owner=olga, title=CONFERENCE).exists():
        return
    venue = _venue(
        olga,
        CONFERENCE_VENUE,
        location="1 Quay Road",
        capacity=800,
        facilities="WiFi, Projector, Sound System, Step-free access",
        timezone="Europe/London",
    )
    day: date = (utcnow() + timedelta(days=30)).date()
    event_create_with_show(
        actor=olga,
        title=CONFERENCE,
        description="Two tracks on scheduling, ticketing and everything in between.",
        category="conference",
        duration_minutes=8 * 60,
        venue=venue,
        day=day,
        at=time(9, 0),
        capacity=300,
        price=Decimal("49.00"),
    )
    out.write(f"  events: {CONFERENCE} (general admission, 300 places, {day})\n")


def load(out: TextIO) -> None:
    olga = User.objects.filter(username="olga").first()
    if olga is None:
        out.write("  events: no demo organizer (olga); skipped\n")
        return
    cinema = _venue(
        olga,
        CINEMA,
        location="12 Film Street",
        capacity=400,
        facilities="Dolby Atmos, Bar, Wheelchair spaces",
        timezone="Europe/Berlin",
    )
    screens = [_hall(olga, cinema, "Screen 1", SCREEN_1), _hall(olga, cinema, "Screen 2", SCREEN_2)]
    _film_week(olga, cinema, screens, out)
    _conference(olga, out)
