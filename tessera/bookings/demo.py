"""Demo bookings for `alice`: a haircut, a room for a study group, and a gig (the band and the
hall together, pending the band's approval). Each is found again by its note, so running the
demo twice books nothing new; each takes the first free slot from next week on."""

from __future__ import annotations

from datetime import timedelta
from typing import TextIO

from tessera.accounts.models import User
from tessera.core.clock import utcnow
from tessera.scheduling.models import Resource

from .models import Booking
from .selectors.availability import availability_slots
from .services.create import booking_create_time

DEMO_BOOKINGS = {
    "demo: haircut": (["Bruno (barber, Tessera Cuts)"], 30),
    "demo: study group": (["Academy Room A"], 120),
    "demo: birthday gig": (["The Night Owls (band)", "Blue Note Hall"], 120),
}


def load(out: TextIO) -> None:
    alice = User.objects.get(username="alice")
    made = 0
    for note, (names, minutes) in DEMO_BOOKINGS.items():
        if Booking.objects.filter(customer=alice, notes=note).exists():
            continue
        resources = [Resource.objects.get(owner__username="bruno", name=n) for n in names]
        start = utcnow() + timedelta(days=7)
        slots = availability_slots(
            resources=resources,
            start=start,
            end=start + timedelta(days=14),
            duration=timedelta(minutes=minutes),
            step=timedelta(minutes=30),
            now=utcnow(),
        )
        if not slots:
            out.write(f"  demo booking skipped (no free slot): {note}\n")
            continue
        booking_create_time(
            actor=alice,
            resource_ids=[r.pk for r in resources],
            start=slots[0].start,
            duration=minutes,
            notes=note,
        )
        made += 1
    out.write(f"  demo bookings for alice: {len(DEMO_BOOKINGS)} ({made} new)\n")
