"""Promotion from a waiting list: an explicit step, called by name by the services that free a
place or make room, after their status change or capacity change, in the same transaction.

| who frees or makes room | calls |
|---|---|
| `booking_cancel`, `booking_decline`, `booking_mark_no_show` (`services/status.py`) | `waitlist_promote_after_freed` |
| the time-driven jobs: expiry, completion (`services/timed.py`) | `waitlist_promote_after_freed_many` |
| a show's cancellation (`events.services.shows.show_cancel`) | `waitlist_promote_after_freed` (a cancelled show promotes nobody) |
| a resource's capacity raised (`capacity.py`, named by `scheduling.capacity`) | `waitlist_promote_into_room` |
| a show's capacity raised (`events.services.shows.show_update`) | `waitlist_promote_into_room` |

The waitlisted bookings whose list a freed booking belonged to (its kind says which:
`kinds.KindOps.waitlist_where`), in line order, are each locked, re-read and moved to
`WAITLIST["PROMOTE_TO"]` (`confirmed`, or `pending` with a deadline) through
`lifecycle.booking_transition`, whose `follow_status` re-checks that the booking fits (time
still free, places left) under the resource's or show's lock. One that does not fit stays in
line (the attempt is rolled back to a savepoint) and the next one is tried: the first that FITS
wins. So parallel cancellations never over-fill (the fit check is serialised by the holder's
lock) and never promote an entry twice (its row lock and status re-check).

Lock order (`docs/concurrency.md`): the freed bookings, then the candidates (pk order, all
before the first promotion), then the resource or show. A caller that already holds a resource
or show (a capacity raise) or many bookings (a timed batch) takes candidates with `NOWAIT`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q

from tessera.core.clock import utcnow
from tessera.core.errors import DomainError

from .deadlines import approval_deadline
from .kinds import kind_ops
from .lifecycle import booking_transition
from .locks import booking_lock, booking_lock_nowait, bookings_lock
from .models import LIVE_STATUSES, Booking, BookingStatus, WaitlistEntry
from .waitlist import waitlist_gig_entries_on

S = BookingStatus

# A freed place is offered to at most this many entries in line (each that does not fit costs
# a savepoint and a check).
MAX_TRIES = 20


def _promotion_target(booking: Booking, now: datetime) -> tuple[str, dict[str, Any], bool]:
    """Where a promoted booking goes: (status, fields to set, whether it is an offer).

    - `WAITLIST_PROMOTE_TO = "pending"`: an offer the customer accepts before a deadline of
      `WAITLIST_CONFIRM_HOURS` (at most its start), whether or not the owner must approve too.
    - Else, if the owner must approve (a resource with `approval_required`, an event that
      requires approval: the kind's `awaits_approval`), `pending` with the approval deadline of
      a new request: a promotion never skips the owner's approval.
    - Else `confirmed`.
    """
    if settings.TESSERA["WAITLIST_PROMOTE_TO"] == S.PENDING:
        hours = settings.TESSERA["WAITLIST_CONFIRM_HOURS"]
        deadline = min(now + timedelta(hours=hours), booking.starts_at)
        return S.PENDING, {"confirm_deadline": deadline}, True
    if waitlist_awaits_approval(booking=booking):
        return S.PENDING, {"confirm_deadline": approval_deadline(booking.starts_at, now)}, False
    return S.CONFIRMED, {}, False


def waitlist_awaits_approval(*, booking: Booking) -> bool:
    """Whether the owner of what the booking holds has yet to approve it (the kind's check)."""
    return kind_ops(booking.kind).awaits_approval(booking)


def waitlist_promote_after_freed(
    *, freed: Booking, from_status: str, to_status: str, now: datetime, wait: bool = True
) -> list[int]:
    """If `freed` just stopped being live, promote the first entries in line that now fit;
    returns their booking ids. Caller: the service that changed `freed`'s status, inside that
    transaction, holding `freed`'s lock, right after `booking_transition`."""
    if from_status not in LIVE_STATUSES or to_status in LIVE_STATUSES:
        return []
    where = kind_ops(freed.kind).waitlist_where(freed)
    if where is None:
        return []
    candidates = list(
        WaitlistEntry.objects.filter(
            where, booking__status=S.WAITLISTED, booking__starts_at__gt=now
        )
        .order_by("booking__starts_at", "list_key", "position")
        .values_list("booking_id", flat=True)[:MAX_TRIES]
    )
    if wait and candidates:
        # Every candidate's row before the first promotion takes a resource's lock: a second
        # promotion must not wait for a booking while holding a resource (the lock order).
        bookings_lock(booking_ids=candidates)
    return [bid for bid in candidates if _try_promote(booking_id=bid, now=now, wait=wait)]


def waitlist_promote_after_freed_many(
    *, freed: Sequence[Booking], from_status: str, to_status: str, now: datetime
) -> dict[int, list[int]]:
    """`waitlist_promote_after_freed` for a batch: one query when nobody waits at all.

    The batch holds many booking locks (and, after a first promotion, a resource's), so it
    does not wait for a candidate another transaction holds: `LockTimeout` is raised and the
    caller rolls the whole batch back, to be run again at the next tick."""
    if from_status not in LIVE_STATUSES or to_status in LIVE_STATUSES:
        return {}
    waiting = WaitlistEntry.objects.filter(booking__status=S.WAITLISTED, booking__starts_at__gt=now)
    if not waiting.exists():
        return {}
    return {
        booking.pk: waitlist_promote_after_freed(
            freed=booking, from_status=from_status, to_status=to_status, now=now, wait=False
        )
        for booking in freed
    }


def waitlist_promote_after_capacity_raised(*, resource: Any, now: datetime | None = None) -> None:
    """A resource's capacity went up: promote the waiting entries of its future slots that now
    fit, in line order (`waitlist_promote_into_room`). Caller holds the resource's lock."""
    waitlist_promote_into_room(
        where=Q(list_key__startswith=f"time:{resource.pk}:")
        | waitlist_gig_entries_on(resource_id=resource.pk),
        now=now,
    )


def waitlist_promote_into_room(*, where: Q, now: datetime | None = None) -> list[int]:
    """More room was made (a capacity raised): promote the waiting entries matching `where`
    that now fit, in line order; returns the promoted booking ids.

    The caller holds the lock of what was enlarged (the resource's or the show's row), and the
    lock order everywhere is booking, then resource or show: so a candidate another transaction
    holds is not waited for. The change is refused with `lock_timeout` (409, retry) instead of
    risking a deadlock (the lock order is booking, then resource or show)."""
    now = now or utcnow()
    candidates = list(
        WaitlistEntry.objects.filter(
            where, booking__status=S.WAITLISTED, booking__starts_at__gt=now
        )
        .order_by("booking__starts_at", "list_key", "position")
        .values_list("booking_id", flat=True)[: MAX_TRIES * 5]
    )
    return [bid for bid in candidates if _try_promote(booking_id=bid, now=now, wait=False)]


def _try_promote(*, booking_id: int, now: datetime, wait: bool = True) -> bool:
    lock = booking_lock if wait else booking_lock_nowait
    booking = lock(booking_id=booking_id)
    if booking is None or booking.status != S.WAITLISTED:
        return False  # promoted or cancelled by a transaction that committed meanwhile
    to, fields, offer = _promotion_target(booking, now)
    try:
        with transaction.atomic():
            if offer:
                WaitlistEntry.objects.filter(pk=booking.pk).update(offered_at=now)
            booking_transition(
                booking=booking,
                to=to,
                actor=None,
                reason="a place freed up",
                now=now,
                extra_fields=fields,
                event_extra={"offer": offer},
            )
    except DomainError:
        return False  # does not fit (time taken, too many places): stays in line
    return True
