"""A resource's capacity changes: what the bookings of time on it do (named by
`tessera.scheduling.capacity`, called by `scheduling.services.resources.resource_update` inside
its transaction, the resource's row locked)."""

from __future__ import annotations

from typing import Any

from .allocations import on_capacity_change
from .promotion import waitlist_promote_after_capacity_raised


def resource_capacity_check(*, resource: Any, old: int, new: int) -> None:
    """Before the new capacity is saved: refuse one below the live future overlap
    (`capacity_below_bookings`), and keep the `exclusive` flag of future live allocations."""
    on_capacity_change(resource, old, new)


def resource_capacity_raised(*, resource: Any, old: int, new: int) -> None:
    """After a higher capacity is saved: promote the waiting entries that now fit."""
    waitlist_promote_after_capacity_raised(resource=resource)
