"""Holds: seats or places kept for a customer while they check out; they lapse by themselves.

A hold is all-or-nothing: every requested seat is held, or none and the answer names the seats
that were taken. Limits: `EVENTS_HOLD_MAX_ITEMS` per hold and `EVENTS_HOLD_MAX_ITEMS_PER_CUSTOMER`
over all of a customer's live holds (counted under the customer's row lock, so parallel requests
of one client cannot squat past it). Staff are not limited per customer.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db.models import Sum

from tessera.accounts.access import ensure_can, is_staff
from tessera.core.clock import utcnow
from tessera.core.errors import NotFound

from .. import conf
from ..errors import CapacityExceeded, HoldExpired, HoldLimit, HoldReleased, HoldUsed
from ..locks import (
    lock_customer,
    lock_hold,
    lock_show_for_sale,
    lock_show_shared,
    ticket_transaction,
)
from ..models import Hold, HoldState, SeatClaim, Show
from .claims import (
    ensure_seats_free,
    new_seat_claims,
    places_taken,
    seat_conflicts_as_taken,
    seat_prices,
    seats_for_sale,
)
from .rules import ensure_hold_size, ensure_on_sale, ensure_seating


def new_token() -> str:
    return secrets.token_urlsafe(24)


def _locked_show(show: Show, *, shared: bool, now: datetime) -> Show:
    locked = (lock_show_shared if shared else lock_show_for_sale)(show_id=show.pk)
    if locked is None:
        raise NotFound("No such show.")
    ensure_on_sale(locked, now)
    return locked


def _ensure_allowance(*, customer: Any, items: int, now: datetime) -> None:
    """Caller holds `lock_customer`."""
    if is_staff(customer):
        return
    limit = conf.hold_max_items_per_customer()
    held = (
        Hold.objects.filter(
            customer=customer, state=HoldState.ACTIVE, expires_at__gt=now
        ).aggregate(n=Sum("quantity"))["n"]
        or 0
    )
    if held + items > limit:
        raise HoldLimit(
            f"You already hold {held} seats or places; at most {limit} at once.",
            limit=limit,
            held=held,
            requested=items,
        )


def hold_create_for_seats(
    *, show: Show, seat_ids: Sequence[int], actor: Any, now: datetime | None = None
) -> Hold:
    """Hold these seats of a reserved-seating show for the actor, all or none."""
    now = now or utcnow()
    ensure_seating(show, reserved=True)
    ensure_on_sale(show, now)
    ensure_hold_size(items=len(seat_ids))
    seats = seats_for_sale(show=show, seat_ids=seat_ids)
    prices = seat_prices(show=show, seats=seats)
    with (
        seat_conflicts_as_taken(show_id=show.pk, seat_ids=seat_ids, now=now),
        ticket_transaction(),
    ):
        lock_customer(user_id=actor.pk)
        _ensure_allowance(customer=actor, items=len(seats), now=now)
        locked = _locked_show(show, shared=True, now=now)
        hold = Hold.objects.create(
            token=new_token(),
            show=locked,
            customer=actor,
            quantity=len(seats),
            expires_at=now + conf.hold_ttl(),
            price=sum(prices.values()),
            created_at=now,
        )
        ensure_seats_free(show=locked, seats=seats, now=now)
        SeatClaim.objects.bulk_create(
            new_seat_claims(show=locked, seats=seats, prices=prices, hold=hold)
        )
    return hold


def hold_create_for_places(
    *, show: Show, quantity: int, actor: Any, now: datetime | None = None
) -> Hold:
    """Hold `quantity` general-admission places for the actor, if that many are left."""
    now = now or utcnow()
    ensure_seating(show, reserved=False)
    ensure_on_sale(show, now)
    ensure_hold_size(items=quantity)
    with ticket_transaction():
        lock_customer(user_id=actor.pk)
        _ensure_allowance(customer=actor, items=quantity, now=now)
        locked = _locked_show(show, shared=False, now=now)
        assert locked.capacity is not None
        left = locked.capacity - places_taken(show_id=locked.pk, now=now)
        if quantity > left:
            raise CapacityExceeded(places_left=max(left, 0), requested=quantity)
        return Hold.objects.create(
            token=new_token(),
            show=locked,
            customer=actor,
            quantity=quantity,
            expires_at=now + conf.hold_ttl(),
            price=locked.price * quantity,
            created_at=now,
        )


def ensure_hold_usable(hold: Hold, now: datetime) -> None:
    """A hold that was released, used or has expired answers with its own 409."""
    if hold.state == HoldState.RELEASED:
        raise HoldReleased()
    if hold.state == HoldState.CONSUMED:
        raise HoldUsed(booking_id=hold.booking_id)
    if hold.expires_at <= now:
        raise HoldExpired(expired_at=hold.expires_at.isoformat())


def hold_release(*, hold: Hold, actor: Any, now: datetime | None = None) -> Hold:
    """Give the seats or places back at once. Releasing a hold that lapsed is a no-op."""
    now = now or utcnow()
    ensure_can(actor, "change", hold)
    with ticket_transaction():
        locked = lock_hold(hold_id=hold.pk)
        if locked is None:
            raise NotFound("No such hold.", code="hold_not_found")
        if locked.state == HoldState.CONSUMED:
            raise HoldUsed(booking_id=locked.booking_id)
        if locked.state == HoldState.ACTIVE:
            SeatClaim.objects.filter(hold=locked).delete()
            locked.state = HoldState.RELEASED
            locked.save(update_fields=["state"])
    return locked


@dataclass(frozen=True)
class PurgeResult:
    claims_freed: int
    holds_deleted: int


def hold_purge_expired(
    *, now: datetime | None = None, keep: timedelta | None = None
) -> PurgeResult:
    """The periodic clean-up: delete the seat claims of expired holds, and the hold rows that
    ended more than `keep` ago (default: a day, so a late client still hears `hold_expired`).
    Idempotent; expiry itself never waits for this (it is decided in every query)."""
    now = now or utcnow()
    keep = timedelta(days=1) if keep is None else keep
    claims, _ = SeatClaim.objects.filter(hold__isnull=False, expires_at__lte=now).delete()
    cutoff = now - keep
    holds_deleted = 0
    while ids := list(
        Hold.objects.filter(expires_at__lte=cutoff).values_list("pk", flat=True)[:1000]
    ):
        Hold.objects.filter(pk__in=ids).delete()
        holds_deleted += len(ids)
    return PurgeResult(claims_freed=claims, holds_deleted=holds_deleted)
