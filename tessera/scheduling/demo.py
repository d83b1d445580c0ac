"""Demo resources, all owned by the demo provider `bruno`: a barber shop (three barbers with a
lunch break), an academy (rooms, a court and projectors, capacities 1-4), a musician and a
venue for gigs. Idempotent: what exists is left as it is."""

from __future__ import annotations

from datetime import time, timedelta
from typing import TextIO

from tessera.accounts.models import User
from tessera.core.clock import utcnow

from .models import Closure, Resource, WeeklyHours

ZONE = "Europe/Lisbon"
TUE_TO_SAT = range(1, 6)
MON_TO_FRI = range(5)
THU_TO_SUN = range(3, 7)

# name: (kind, capacity, rules, weekly hours)
RESOURCES: dict[str, tuple[str, int, dict[str, object], list[tuple[int, time, time]]]] = {
    **{
        f"{barber} (barber, Tessera Cuts)": (
            "provider",
            1,
            {
                "default_duration": 30,
                "buffer_after": 5,
                "cancellation_deadline": 120,
                # Bruno takes walk-in clients who have no account (the web's guest booking).
                "guest_booking": barber == "Bruno",
            },
            [(d, time(9), time(13)) for d in TUE_TO_SAT]
            + [(d, time(14), time(19)) for d in TUE_TO_SAT],
        )
        for barber in ("Bruno", "Carla", "Dario")
    },
    "Academy Room A": (
        "room",
        4,
        {"default_duration": 60},
        [(d, time(8), time(20)) for d in MON_TO_FRI],
    ),
    "Academy Room B": (
        "room",
        2,
        {"default_duration": 60},
        [(d, time(8), time(20)) for d in MON_TO_FRI],
    ),
    "Academy tennis court": (
        "court",
        2,
        {"default_duration": 60, "slot_step": 30},
        [(d, time(7), time(22)) for d in range(7)],
    ),
    "Academy projector 1": (
        "equipment",
        1,
        {"default_duration": 120},
        [(d, time(8), time(20)) for d in MON_TO_FRI],
    ),
    "Academy projector 2": (
        "equipment",
        1,
        {"default_duration": 120},
        [(d, time(8), time(20)) for d in MON_TO_FRI],
    ),
    "The Night Owls (band)": (
        "musician",
        1,
        {"default_duration": 120, "approval_required": True, "min_notice": 24 * 60},
        [(d, time(18), time(1)) for d in THU_TO_SUN],
    ),
    "Blue Note Hall": (
        "venue",
        1,
        {"default_duration": 180, "buffer_before": 60, "buffer_after": 30},
        [(d, time(17), time(2)) for d in THU_TO_SUN],
    ),
}


LOCATIONS = {
    "barber": "Tessera Cuts, Rua Augusta 120, Lisbon",
    "Academy": "Tessera Academy, Avenida da Liberdade 50, Lisbon",
    "Owls": "Lisbon (the band travels)",
    "Blue Note": "Rua do Norte 12, Bairro Alto, Lisbon",
}
DESCRIPTIONS = {
    "barber": "Cuts, fades and beard trims. 30 minutes, five minutes to tidy up between clients.",
    "Academy Room": "A quiet study room with a whiteboard and a screen.",
    "court": "An outdoor hard court with lights; rackets at the desk.",
    "projector": "A full-HD projector with HDMI and USB-C; collect it at the desk.",
    "Owls": "A five-piece soul and funk band for parties and clubs. Bookings need our approval.",
    "Blue Note": "A 200-person club stage with a PA and a green room; gigs of three hours.",
}


def _first(table: dict[str, str], name: str) -> str:
    return next((text for key, text in table.items() if key in name), "")


def load(out: TextIO) -> None:
    bruno = User.objects.get(username="bruno")
    made = 0
    for name, (kind, capacity, rules, hours) in RESOURCES.items():
        resource, created = Resource.objects.get_or_create(
            owner=bruno,
            name=name,
            defaults={
                "kind": kind,
                "capacity": capacity,
                "timezone": ZONE,
                "location": _first(LOCATIONS, name),
                "description": _first(DESCRIPTIONS, name),
                **rules,
            },
        )
        if created:
            made += 1
            WeeklyHours.objects.bulk_create(
                WeeklyHours(resource=resource, weekday=d, start_time=s, end_time=e)
                for d, s, e in hours
            )
            if name.startswith("Carla"):
                day = (utcnow() + timedelta(days=10)).date()
                Closure.objects.create(
                    resource=resource, start_date=day, end_date=day, reason="Day off"
                )
    out.write(f"  demo resources: {len(RESOURCES)} owned by bruno ({made} new)\n")
