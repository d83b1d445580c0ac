"""A visitor's seat selection at a show: one hold, remembered in their session.

The seat map changes the selection a seat at a time, but a booking is made from one hold
(`ticket_booking_create_from_hold`). So every change replaces the visitor's hold by a hold on
the new selection, in one transaction: the old hold is released and the new one taken, or, if
any seat of the new selection is gone (`seat_taken`), nothing changes and the old hold stays.
The seats already held are never free for someone else in between. A new hold runs for the
full hold time (`EVENTS_HOLD_TTL_SECONDS`) from the last change.

This composes public services of the events app (`hold_release`, `hold_create_for_seats`);
it belongs beside them (as a `hold_replace` service) once their refactor has landed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.contrib.sessions.backends.base import SessionBase
from django.db import transaction

from tessera.core.errors import DomainError, ValidationFailed
from tessera.events.domain.best_available import SeatSpot, seats_best_available
from tessera.events.errors import CapacityExceeded, SeatTaken, WrongSeating
from tessera.events.models import Hold, Show
from tessera.events.selectors.holds import hold_get_for_actor, hold_seat_ids, hold_state
from tessera.events.selectors.seatmap import SeatRow, seat_layout, seat_states
from tessera.events.services.holds import hold_create_for_seats, hold_release

SESSION_KEY = "web.seat_holds"  # {show id: hold token}
BEST_AVAILABLE_ATTEMPTS = 3


@dataclass(frozen=True, slots=True)
class Selection:
    """The seats a visitor holds at a show, and until when."""

    token: str
    seat_ids: list[int]
    expires_at: datetime
    price: Decimal


def _tokens(session: SessionBase) -> dict[str, str]:
    found = session.get(SESSION_KEY)
    return dict(found) if isinstance(found, dict) else {}


def remembered_token(session: SessionBase, show_id: int) -> str:
    return _tokens(session).get(str(show_id), "")


def remember(session: SessionBase, show_id: int, token: str | None) -> None:
    tokens = _tokens(session)
    if token:
        tokens[str(show_id)] = token
    else:
        tokens.pop(str(show_id), None)
    session[SESSION_KEY] = tokens


def _live_hold(*, show_id: int, token: str, actor: Any, now: datetime) -> Hold | None:
    if not token:
        return None
    try:
        hold = hold_get_for_actor(show_id=show_id, token=token, actor=actor)
    except DomainError:
        return None
    return hold if hold_state(hold, now) == "active" else None


def selection_of(hold: Hold) -> Selection:
    return Selection(hold.token, hold_seat_ids(hold=hold), hold.expires_at, hold.price)


def selection_get(
    *, session: SessionBase, show: Show, actor: Any, now: datetime
) -> Selection | None:
    """The visitor's live selection at this show (a lapsed or used hold is forgotten)."""
    if not getattr(actor, "is_authenticated", False):
        return None
    token = remembered_token(session, show.pk)
    hold = _live_hold(show_id=show.pk, token=token, actor=actor, now=now)
    if hold is None:
        if token:
            remember(session, show.pk, None)
        return None
    return selection_of(hold)


def selection_replace(
    *, show: Show, seat_ids: Sequence[int], actor: Any, previous: str, now: datetime
) -> Hold | None:
    """Release the hold `previous` (if still live) and hold `seat_ids` instead, all in one
    transaction; None for an empty selection. Any refusal (`seat_taken`, `hold_limit`, ...)
    leaves the previous hold as it was."""
    with transaction.atomic():
        old = _live_hold(show_id=show.pk, token=previous, actor=actor, now=now)
        if old is not None:
            hold_release(hold=old, actor=actor, now=now)
        if not seat_ids:
            return None
        return hold_create_for_seats(show=show, seat_ids=seat_ids, actor=actor, now=now)


def _spots(rows: list[SeatRow], states: dict[int, str], mine: set[int]) -> list[SeatSpot]:
    positions: dict[str, int] = {}
    spots = []
    for seat in rows:
        position = positions.setdefault(seat.row, len(positions))
        free = not seat.blocked and (seat.id not in states or seat.id in mine)
        spots.append(SeatSpot(seat.id, position, seat.row, seat.number, seat.category, free))
    return spots


def selection_best_available(
    *, show: Show, quantity: int, category: str, actor: Any, previous: str, now: datetime
) -> Hold:
    """Hold the best `quantity` seats free now (`domain/best_available.py`; the visitor's own
    held seats count as free), replacing their selection. A seat taken between the read and
    the hold is met by trying again with a fresh read, a few times; `capacity_exceeded` when
    too few are free."""
    if not show.is_reserved:
        raise WrongSeating()
    rows = seat_layout(show=show)
    if category and not any(row.category == category and not row.blocked for row in rows):
        raise ValidationFailed(code="unknown_category", field="category")
    old = _live_hold(show_id=show.pk, token=previous, actor=actor, now=now)
    mine = set(hold_seat_ids(hold=old)) if old is not None else set()
    for attempt in range(BEST_AVAILABLE_ATTEMPTS):
        states = seat_states(show=show, now=now)
        chosen = seats_best_available(
            _spots(rows, states, mine), quantity=quantity, category=category
        )
        if chosen is None:
            free = sum(1 for spot in _spots(rows, states, mine) if spot.free)
            raise CapacityExceeded(places_left=free, requested=quantity)
        try:
            hold = selection_replace(
                show=show, seat_ids=chosen, actor=actor, previous=previous, now=now
            )
        except SeatTaken:
            if attempt == BEST_AVAILABLE_ATTEMPTS - 1:
                raise
            continue
        assert hold is not None
        return hold
    raise AssertionError("unreachable")  # pragma: no cover
