"""The events app's settings, read at call time (so tests can override them).

Every value comes from `settings.TESSERA_EVENTS` (filled from the environment in
`config/settings/base.py`; each variable is listed in `.env.example`).
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings

# A hard ceiling on the items (seats or places) of one booking or hold, whatever the settings say:
# prices are stored with 8 digits, a booking's total with 10.
ITEMS_CEILING = 100


def _get(name: str) -> int:
    return int(settings.TESSERA_EVENTS[name])


def hold_ttl() -> timedelta:
    return timedelta(seconds=_get("HOLD_TTL_SECONDS"))


def hold_max_items() -> int:
    """Seats or places in one hold."""
    return min(_get("HOLD_MAX_ITEMS"), ITEMS_CEILING)


def hold_max_items_per_customer() -> int:
    """Seats and places one customer may hold at once, over all their live holds."""
    return _get("HOLD_MAX_ITEMS_PER_CUSTOMER")


def booking_max_items() -> int:
    """Seats or places a customer may take in one booking (staff and the organizer: the ceiling)."""
    return min(_get("BOOKING_MAX_ITEMS"), ITEMS_CEILING)


def max_seats_per_hall() -> int:
    return _get("MAX_SEATS_PER_HALL")


def default_show_minutes() -> int:
    return _get("DEFAULT_SHOW_MINUTES")


def default_currency() -> str:
    return str(settings.TESSERA_EVENTS["DEFAULT_CURRENCY"])


def seat_map_max_age() -> float:
    """Seconds a web process may serve a seat map it rendered before (0: always fresh)."""
    return float(settings.TESSERA_EVENTS["SEAT_MAP_MAX_AGE_SECONDS"])
