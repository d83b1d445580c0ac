"""Waiting lists, for every kind of booking that registers a finder.

A waitlisted booking is a `Booking` with status `waitlisted` (holding nothing: its allocations
or claims are not live) plus a `WaitlistEntry` (list, stable position, quantity). Joining is
the booking service's job, under the list's lock (the resource's or the show's row lock):
`waitlist_entry_add` gives the next position; a unique constraint backs it up.

When a live booking stops being live (cancelled, declined, expired, no-show...),
`lifecycle.booking_transition` calls `waitlist_promote_after_freed` in the same transaction:
the waitlisted bookings whose list the freed booking belonged to (the kind's registered
finder says which), in line order, are each locked, re-read and moved to
`WAITLIST["PROMOTE_TO"]` (`confirmed`, or `pending` with a deadline) through
`booking_transition`, whose status hooks re-check that the booking fits (time still free,
places left) under the resource's or show's lock. One that does not fit stays in line (the
attempt is rolled back to a savepoint) and the next one is tried: the first that FITS wins.
So parallel cancellations never over-fill (the fit check is serialised by the holder's lock)
and never promote an entry twice (its row lock and status re-check).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, Max, OuterRef, Q

from tessera.core.clock import utcnow
from tessera.core.errors import DomainError

from .deadlines import approval_deadline
from .errors import AlreadyWaitlisted, OfferExpired
from .models import LIVE_STATUSES, Booking, BookingStatus, TimeAllocation, WaitlistEntry

S = BookingStatus

# finder(freed booking) -> which WaitlistEntry rows it may make room for (or None: none).
Finder = Callable[[Booking], Q | None]
_finders: dict[str, Finder] = {}
# awaits_approval(booking) -> whether its owner has yet to approve it (a promotion then stays
# pending until they do).
ApprovalCheck = Callable[[Booking], bool]
_approval_checks: dict[str, ApprovalCheck] = {}

# A freed place is offered to at most this many entries in line (each that does not fit costs
# a savepoint and a check).
MAX_TRIES = 20


def register_waitlist_finder(
    *, kinds: Iterable[str], finder: Finder, awaits_approval: ApprovalCheck | None = None
) -> None:
    for kind in kinds:
        _finders[kind] = finder
        if awaits_approval is not None:
            _approval_checks[kind] = awaits_approval


def waitlist_key_for_slot(*, resource_id: int, start: datetime, end: datetime) -> str:
    return f"time:{resource_id}:{start.isoformat()}:{end.isoformat()}"


def waitlist_key_for_gig(*, resource_ids: Iterable[int], start: datetime, end: datetime) -> str:
    """A gig's list: the same resources (in any order) for the same time. The set is digested
    to keep the key short (up to 10 resources); the allocations name them."""
    ids = ",".join(str(i) for i in sorted(set(resource_ids)))
    digest = hashlib.sha256(ids.encode()).hexdigest()[:16]
    return f"gig:{start.isoformat()}:{end.isoformat()}:{digest}"


def waitlist_key_for_time(*, resource_ids: Sequence[int], start: datetime, end: datetime) -> str:
    """The list of a time booking: its slot's for one resource, else its gig's."""
    if len(resource_ids) == 1:
        return waitlist_key_for_slot(resource_id=resource_ids[0], start=start, end=end)
    return waitlist_key_for_gig(resource_ids=resource_ids, start=start, end=end)


def waitlist_gig_entries_on(
    *, resource_id: int, occupied_from: datetime | None = None, occupied_to: datetime | None = None
) -> Q:
    """The entries of gigs waiting for a time of this resource (overlapping the range, when
    given): any participant's freed time may make room for a gig."""
    allocations = TimeAllocation.objects.filter(
        booking=OuterRef("booking_id"), resource_id=resource_id
    )
    if occupied_from is not None and occupied_to is not None:
        allocations = allocations.filter(
            occupied_from__lt=occupied_to, occupied_to__gt=occupied_from
        )
    return Q(list_key__startswith="gig:") & Q(Exists(allocations))


def waitlist_key_for_show(*, show_id: int) -> str:
    return f"show:{show_id}"


def waitlist_ensure_not_queued(*, list_key: str, customer_id: int) -> None:
    """A customer waits once per list (`already_waitlisted`, 409)."""
    queued = WaitlistEntry.objects.filter(
        list_key=list_key, booking__customer_id=customer_id, booking__status=S.WAITLISTED
    )
    if queued.exists():
        raise AlreadyWaitlisted(list=list_key)


def waitlist_entry_add(
    *, booking: Booking, list_key: str, quantity: int, now: datetime, category: str = ""
) -> WaitlistEntry:
    """Put a just-inserted waitlisted booking at the end of its list. Caller holds the list's
    lock (the resource's or the show's row), so the next position is its own."""
    last = WaitlistEntry.objects.filter(list_key=list_key).aggregate(last=Max("position"))["last"]
    return WaitlistEntry.objects.create(
        booking=booking,
        list_key=list_key,
        position=(last or 0) + 1,
        quantity=quantity,
        category=category,
        joined_at=now,
    )


def _promotion_target(booking: Booking, now: datetime) -> tuple[str, dict[str, Any], bool]:
    """Where a promoted booking goes: (status, fields to set, whether it is an offer).

    - `WAITLIST_PROMOTE_TO = "pending"`: an offer the customer accepts before a deadline of
      `WAITLIST_CONFIRM_HOURS` (at most its start), whether or not the owner must approve too.
    - Else, if the owner must approve (a resource with `approval_required`, an event that
      requires approval: the kind's registered check), `pending` with the approval deadline of
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
    check = _approval_checks.get(booking.kind)
    return check is not None and check(booking)


def waitlist_promote_after_freed(
    *, freed: Booking, from_status: str, to_status: str, now: datetime, wait: bool = True
) -> list[int]:
    """If `freed` just stopped being live, promote the first entries in line that now fit;
    returns their booking ids. Caller: `booking_transition`, inside the change's transaction,
    holding `freed`'s lock."""
    if from_status not in LIVE_STATUSES or to_status in LIVE_STATUSES:
        return []
    finder = _finders.get(freed.kind)
    where = finder(freed) if finder is not None else None
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
        from .locks import bookings_lock

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


def waitlist_promote_after_capacity_raised(resource: Any, old: int, new: int) -> None:
    """A resource's capacity went up (a scheduling capacity-raised hook): promote the waiting
    entries of its future slots that now fit, in line order (`waitlist_promote_into_room`)."""
    waitlist_promote_into_room(
        where=Q(list_key__startswith=f"time:{resource.pk}:")
        | waitlist_gig_entries_on(resource_id=resource.pk)
    )


def waitlist_promote_into_room(*, where: Q, now: datetime | None = None) -> list[int]:
    """More room was made (a capacity raised): promote the waiting entries matching `where`
    that now fit, in line order; returns the promoted booking ids.

    The caller holds the lock of what was enlarged (the resource's or the show's row), and the
    lock order everywhere is booking, then resource or show: so a candidate another transaction
    holds is not waited for. The change is refused with `lock_timeout` (409, retry) instead of
    risking a deadlock."""
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
    from .lifecycle import booking_transition
    from .locks import booking_lock, booking_lock_nowait

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


def waitlist_offer_of(*, booking: Booking) -> WaitlistEntry | None:
    """The entry of a pending booking promoted as an offer (accepted or not), else None. The
    offer is open while `accepted_at` is None."""
    return waitlist_offers_of(bookings=[booking]).get(booking.pk)


def waitlist_offers_of(*, bookings: Iterable[Booking]) -> dict[int, WaitlistEntry]:
    """`waitlist_offer_of` for many bookings: one query, none if no booking is pending."""
    pending = [b.pk for b in bookings if b.status == S.PENDING]
    if not pending:
        return {}
    entries = WaitlistEntry.objects.filter(pk__in=pending, offered_at__isnull=False)
    return {entry.pk: entry for entry in entries}


def waitlist_offer_accept(*, booking: Booking, entry: WaitlistEntry, now: datetime) -> None:
    """The customer takes the place offered. Caller holds the booking's lock; `entry` is its
    open offer. Refused once the deadline has passed (`offer_expired`: the periodic job will
    expire it and offer the place to the next in line)."""
    deadline = booking.confirm_deadline
    if deadline is not None and now >= deadline:
        raise OfferExpired(confirm_deadline=deadline.isoformat())
    entry.accepted_at = now
    entry.save(update_fields=["accepted_at"])
