"""Demo data that makes every page show something real: alice gets a name, a cancelled booking
(the "Past and cancelled" tab) and a place on a waiting list; diego, a second customer, holds the
slot she waits for. Runs after the other apps' demos (seed_demo goes in INSTALLED_APPS order);
each booking is found again by its note, so running it twice adds nothing."""

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
from tessera.scheduling.models import Resource

from . import demo_dashboard

CANCELLED = "demo: cancelled court"
HELD = "demo: diego's trim"
WAITING = "demo: alice waits for a trim"


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
    demo_dashboard.load(out)
