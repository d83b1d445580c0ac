"""Who may see and change a booking: its customer, the owners of what it holds, and staff.

"Owners of what it holds" is each kind's answer (`kinds.KindOps.scope` / `owns`): the provider
of a resource sees the bookings of time on it (`allocations.TimeKind`), the organizer of a show
the tickets of it (`events.kind.TicketKind`). The access policy of `Booking`
(`tessera.accounts.access`) and the list selectors both ask these.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from tessera.accounts.access import Action, is_staff

from .kinds import all_kind_ops
from .models import Booking


def owns_holdings(user: Any, booking: Booking) -> bool:
    """Whether the user owns something this booking holds (a resource, a show, …)."""
    return any(ops.owns(user, booking) for ops in all_kind_ops())


def booking_visibility(user: Any) -> Q:
    """The bookings the user may see, as a filter (staff: all)."""
    if is_staff(user):
        return Q()
    visible = Q(customer=user)
    for ops in all_kind_ops():
        visible |= ops.scope(user)
    return visible


def booking_policy(user: Any, booking: Booking, action: Action) -> bool:
    return booking.customer_id == user.pk or owns_holdings(user, booking)


def is_manager(user: Any, booking: Booking) -> bool:
    """Staff, or an owner of what the booking holds: may confirm, decline, override rules."""
    return is_staff(user) or owns_holdings(user, booking)
