"""Waiting lists: the lines themselves (keys, joining, offers). Promotion is `promotion.py`.

A waitlisted booking is a `Booking` with status `waitlisted` (holding nothing: its allocations
or claims are not live) plus a `WaitlistEntry` (list, stable position, quantity). Joining is
the booking service's job, under the list's lock (the resource's or the show's row lock):
`waitlist_entry_add` gives the next position; a unique constraint backs it up.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from datetime import datetime

from django.db.models import Exists, Max, OuterRef, Q

from .errors import AlreadyWaitlisted, OfferExpired
from .models import Booking, BookingStatus, TimeAllocation, WaitlistEntry

S = BookingStatus


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
