"""The rules every sale and hold checks: on sale, who for, how many."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from tessera.accounts.access import is_staff
from tessera.core.errors import PermissionDenied

from .. import conf
from ..errors import BookingLimit, HoldLimit, SalesClosed, ShowCancelled, WrongSeating
from ..models import Show, ShowStatus


def ensure_on_sale(show: Show, now: datetime) -> None:
    if show.status == ShowStatus.CANCELLED:
        raise ShowCancelled(show_id=show.pk)
    if now >= show.starts_at:
        raise SalesClosed(show_id=show.pk)


def ensure_seating(show: Show, *, reserved: bool) -> None:
    if reserved and not show.is_reserved:
        raise WrongSeating(
            "This show has general admission: ask for a quantity, not seats.", show_id=show.pk
        )
    if not reserved and show.is_reserved:
        raise WrongSeating(
            "This show has reserved seating: choose seats (seat_ids), or ask for a quantity "
            "with waitlist: true to be given the best available.",
            show_id=show.pk,
        )


def is_box_office(actor: Any, show: Show) -> bool:
    """Staff, and the organizer of the show, sell on behalf of others and in larger lots."""
    return is_staff(actor) or bool(show.event.owner_id == actor.pk)


def ensure_may_book_for(*, actor: Any, customer: Any, show: Show) -> None:
    if customer.pk != actor.pk and not is_box_office(actor, show):
        raise PermissionDenied("You can only book for yourself.", code="permission_denied")


def ensure_booking_size(*, actor: Any, show: Show, items: int) -> None:
    limit = conf.ITEMS_CEILING if is_box_office(actor, show) else conf.booking_max_items()
    if items > limit:
        raise BookingLimit(
            f"One booking takes at most {limit} seats or places.", limit=limit, requested=items
        )


def ensure_hold_size(*, items: int) -> None:
    limit = conf.hold_max_items()
    if items > limit:
        raise HoldLimit(
            f"One hold keeps at most {limit} seats or places.", limit=limit, requested=items
        )
