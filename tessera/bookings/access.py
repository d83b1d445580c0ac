"""Who may see and change a booking: its customer, the owners of what it holds, and staff.

"Owners of what it holds" is extensible: each app whose rows a booking holds registers a
`Holding` with `register_holding(...)`:

- `scope(user) -> Q`: the bookings holding something the user owns, as a filter on `Booking`
  (used by every list, so it must be a subquery such as `Exists(...)`, never a join);
- `owns(user, booking) -> bool`: the same question for one booking.

This app registers time allocations (the provider of a resource sees the bookings on it); the
events app registers shows (the organiser sees the bookings on their shows). The access policy
of `Booking` (`tessera.accounts.access`) and the list selectors both ask these.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Q

from tessera.accounts.access import Action, is_staff

from .models import Booking


@dataclass(frozen=True)
class Holding:
    name: str
    scope: Callable[[Any], Q]
    owns: Callable[[Any, Booking], bool]


_holdings: dict[str, Holding] = {}


def register_holding(holding: Holding) -> None:
    _holdings[holding.name] = holding


def owns_holdings(user: Any, booking: Booking) -> bool:
    """Whether the user owns something this booking holds (a resource, a show, …)."""
    return any(h.owns(user, booking) for h in _holdings.values())


def booking_visibility(user: Any) -> Q:
    """The bookings the user may see, as a filter (staff: all)."""
    if is_staff(user):
        return Q()
    visible = Q(customer=user)
    for holding in _holdings.values():
        visible |= holding.scope(user)
    return visible


def booking_policy(user: Any, booking: Booking, action: Action) -> bool:
    return booking.customer_id == user.pk or owns_holdings(user, booking)


def is_manager(user: Any, booking: Booking) -> bool:
    """Staff, or an owner of what the booking holds: may confirm, decline, override rules."""
    return is_staff(user) or owns_holdings(user, booking)
