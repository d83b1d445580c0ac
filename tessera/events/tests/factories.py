"""Factories of the events app. Shows start in the future (a week from now) unless told."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

import factory

from tessera.accounts.roles import Role
from tessera.accounts.tests.factories import UserFactory
from tessera.core.clock import utcnow
from tessera.events.domain.layout import build_layout
from tessera.events.models import Event, Hall, Seat, Seating, Show, ShowPrice, Venue


class VenueFactory(factory.django.DjangoModelFactory[Venue]):
    class Meta:
        model = Venue

    owner = factory.SubFactory(UserFactory, role=Role.ORGANIZER)
    name = factory.Sequence(lambda n: f"Venue {n}")
    location = "1 Main St"
    capacity = 5000
    facilities = "WiFi"
    timezone = "Europe/Berlin"


class HallFactory(factory.django.DjangoModelFactory[Hall]):
    class Meta:
        model = Hall

    venue = factory.SubFactory(VenueFactory)
    name = factory.Sequence(lambda n: f"Hall {n}")


def add_seats(hall: Hall, rows: str = "A-C", numbers: str = "1-4", **block: Any) -> list[Seat]:
    """Give a hall seats (in layout order) straight from a layout block."""
    specs = build_layout([{"rows": rows, "numbers": numbers, **block}])
    Seat.objects.bulk_create(
        Seat(
            hall=hall,
            row=s.row,
            number=s.number,
            row_position=s.row_position,
            category=s.category,
        )
        for s in specs
    )
    return list(Seat.objects.filter(hall=hall).order_by("row_position", "number"))


class EventFactory(factory.django.DjangoModelFactory[Event]):
    class Meta:
        model = Event

    owner = factory.SubFactory(UserFactory, role=Role.ORGANIZER)
    title = factory.Sequence(lambda n: f"Event {n}")
    description = "Something worth seeing."
    category = "film"
    duration_minutes = 120


class ShowFactory(factory.django.DjangoModelFactory[Show]):
    """A general-admission show of 100 places; `ReservedShowFactory` sells a hall's seats."""

    class Meta:
        model = Show

    event = factory.SubFactory(EventFactory)
    venue = factory.LazyAttribute(lambda o: VenueFactory.create(owner=o.event.owner))
    hall: Any = None
    starts_at = factory.LazyFunction(lambda: (utcnow() + timedelta(days=7)).replace(microsecond=0))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + timedelta(hours=2))
    local_date = factory.LazyAttribute(lambda o: o.starts_at.date())
    seating = Seating.GENERAL
    capacity: Any = 100
    price = Decimal("20.00")
    currency = "EUR"


class ReservedShowFactory(ShowFactory):
    class Meta:
        skip_postgeneration_save = True

    hall = factory.LazyAttribute(lambda o: HallFactory.create(venue=o.venue))
    seating = Seating.RESERVED
    capacity = None
    price = Decimal("10.00")

    seats = factory.PostGeneration(lambda show, create, extracted, **kw: _seat(show, extracted))


def _seat(show: Show, extracted: Any) -> None:
    """A reserved show's hall gets rows A-C x seats 1-4 unless it has seats already."""
    if show.hall is not None and not Seat.objects.filter(hall=show.hall).exists():
        add_seats(show.hall, **(extracted or {}))


def set_price(show: Show, category: str, amount: str) -> None:
    ShowPrice.objects.update_or_create(
        show=show, category=category, defaults={"amount": Decimal(amount)}
    )
