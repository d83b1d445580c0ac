"""Row locks on bookings. Evaluated, ordered by pk, short. They follow the one lock order of
`docs/concurrency.md` ("The lock order"): bookings before the resources or the show they hold,
never the other way round; a caller out of that order takes them with `NOWAIT`."""

from __future__ import annotations

from django.db import OperationalError
from django.db.models import Q

from tessera.core.errors import LockTimeout

from .models import Booking


def booking_lock(*, booking_id: int) -> Booking | None:
    """Lock and (re)read one booking. Caller is inside `transaction.atomic()`."""
    return Booking.objects.select_for_update(of=("self",)).filter(pk=booking_id).first()


def bookings_lock_due(*, condition: Q, limit: int) -> list[Booking]:
    """Lock (and read) up to `limit` bookings matching `condition`, ordered by pk, skipping rows
    another transaction holds (PostgreSQL; elsewhere writes are serialised anyway). Caller is
    inside `transaction.atomic()`; the list is evaluated here, so the locks are taken."""
    return list(
        Booking.objects.select_for_update(skip_locked=True, of=("self",))
        .filter(condition)
        .order_by("pk")[:limit]
    )


def bookings_lock(*, booking_ids: list[int]) -> None:
    """Lock these bookings, in pk order, waiting as needed. For a caller that will later take
    resource locks and re-read each booking: taking the booking rows first keeps the lock order
    (bookings, then resources) however many of them it ends up changing."""
    list(
        Booking.objects.select_for_update(of=("self",))
        .filter(pk__in=sorted(booking_ids))
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def booking_lock_nowait(*, booking_id: int) -> Booking | None:
    """Lock one booking, or raise `LockTimeout` (409, retry) at once if another transaction
    holds it: for callers that already hold a resource lock, which must not wait for a
    booking (the lock order is booking, then resource)."""
    try:
        return (
            Booking.objects.select_for_update(nowait=True, of=("self",))
            .filter(pk=booking_id)
            .first()
        )
    except OperationalError as exc:
        raise LockTimeout() from exc


def bookings_lock_nowait(*, booking_ids: list[int]) -> None:
    """Lock these bookings (pk order), or raise `LockTimeout` (409, retry) at once if another
    transaction holds one: for callers that already hold a resource or show lock."""
    try:
        list(
            Booking.objects.select_for_update(nowait=True, of=("self",))
            .filter(pk__in=sorted(booking_ids))
            .order_by("pk")
            .values_list("pk", flat=True)
        )
    except OperationalError as exc:
        raise LockTimeout() from exc
