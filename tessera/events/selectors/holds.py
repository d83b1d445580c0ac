"""Reads of holds: only their customer (and staff) can see one."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from tessera.accounts.access import user_can

from ..errors import HoldNotFound
from ..models import Hold, HoldState, SeatClaim


def hold_get_for_actor(*, show_id: int, token: str, actor: Any) -> Hold:
    """Someone else's hold is reported as not found: a token is not confirmed to strangers."""
    hold = Hold.objects.select_related("show").filter(show_id=show_id, token=token).first()
    if hold is None or not user_can(actor, "view", hold):
        raise HoldNotFound()
    return hold


def hold_seat_ids(*, hold: Hold) -> list[int]:
    if hold.booking_id is not None:
        return sorted(
            SeatClaim.objects.filter(booking_id=hold.booking_id).values_list("seat_id", flat=True)
        )
    return sorted(SeatClaim.objects.filter(hold=hold).values_list("seat_id", flat=True))


def hold_state(hold: Hold, now: datetime) -> str:
    """`active`, `expired`, `released` or `consumed` (expiry decided here, not stored)."""
    if hold.state == HoldState.ACTIVE and hold.expires_at <= now:
        return "expired"
    return str(hold.state)
