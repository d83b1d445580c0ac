"""Who may see and change what, registered with the one access policy (`accounts.access`).

Venues, halls and seats belong to the organizer who owns the venue; events and shows to the
organizer who owns the event; a hold to its customer. Staff may do everything (decided in
`access.user_can` before any policy runs). The catalogue (events, shows, seat maps) is public:
its selectors do not ask.
"""

from __future__ import annotations

from typing import Any

from tessera.accounts.access import Action, has_role, is_staff, register_policy
from tessera.accounts.roles import Role

from .models import Event, Hall, Hold, Seat, Show, Venue


def _venue(user: Any, venue: Venue, action: Action) -> bool:
    return bool(venue.owner_id == user.pk)


def _hall(user: Any, hall: Hall, action: Action) -> bool:
    return _venue(user, hall.venue, action)


def _seat(user: Any, seat: Seat, action: Action) -> bool:
    return _hall(user, seat.hall, action)


def _event(user: Any, event: Event, action: Action) -> bool:
    return action == "view" or bool(event.owner_id == user.pk)


def _show(user: Any, show: Show, action: Action) -> bool:
    return _event(user, show.event, action)


def _hold(user: Any, hold: Hold, action: Action) -> bool:
    return bool(hold.customer_id == user.pk)


def is_organizer(user: Any) -> bool:
    """Whether the user may own venues and events (organizers and staff)."""
    return is_staff(user) or has_role(user, Role.ORGANIZER)


def register() -> None:
    register_policy(Venue, _venue)
    register_policy(Hall, _hall)
    register_policy(Seat, _seat)
    register_policy(Event, _event)
    register_policy(Show, _show)
    register_policy(Hold, _hold)
