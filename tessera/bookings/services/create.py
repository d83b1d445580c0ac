"""Booking time: an appointment, a resource up to its capacity, or a gig (several at once)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from django.db import IntegrityError, OperationalError, transaction

from tessera.accounts.models import User
from tessera.core.clock import utcnow
from tessera.core.errors import LockTimeout, PermissionDenied, ValidationFailed
from tessera.core.locking import is_lock_failure
from tessera.scheduling.models import Resource

from ..db import is_overlap_violation
from ..deadlines import approval_deadline
from ..errors import BookingRefused
from ..models import Booking, BookingKind, BookingStatus, TimeAllocation
from ..waitlist import waitlist_key_for_time
from .checks import (
    MAX_GIG_RESOURCES,
    ensure_time_free,
    lock_resources,
    manages_all,
    request_span,
)
from .new import Part, WaitlistSpot, booking_write_new


def booking_create_time(
    *,
    actor: Any,
    resource_ids: Sequence[int],
    start: datetime,
    end: datetime | None = None,
    duration: int | None = None,
    customer: User | None = None,
    notes: str = "",
    waitlist: bool = False,
    confirm_by: datetime | None = None,
    now: datetime | None = None,
) -> Booking:
    """Book [start, end) on every resource, or on none (409 with the reason's code).

    `waitlist=True`: if the time is full (`slot_unavailable`), join its waiting list instead
    (the slot's, or the gig's: the same resources at the same time): a `waitlisted` booking
    that holds nothing, with the next position in the list (`already_waitlisted` if the
    customer waits there already). If the time is free, it is simply booked. Every other
    refusal stands.

    `customer` (default: the actor) may be someone else only when the actor is staff or owns
    every resource. Such "managers" are not bound by minimum notice and maximum advance, and
    their bookings need no approval; opening hours and capacity bind everyone. A resource that
    needs approval makes the booking `pending` until its owner confirms it.

    `confirm_by`: the booking is `pending` until the customer confirms it (a guest proving
    their email address, `email_confirm.py`), with that deadline (at most its start); if it
    passes, the time-driven `expire` rule lapses it and the time is free again.

    Statements: lock the resources (1), read their rules and busy ranges (1), insert the
    booking, its allocations and its first history row (1 on PostgreSQL, 3 elsewhere).
    """
    now = now or utcnow()
    resource_ids = _unique_ids(resource_ids)
    customer = customer or actor
    try:
        with transaction.atomic():
            resources = lock_resources(resource_ids=resource_ids)
            managed = manages_all(actor, resources)
            if customer.pk != actor.pk and not managed:
                raise PermissionDenied(
                    "Only staff and the resource's owner may book for someone else.",
                    code="cannot_book_for_others",
                )
            start, end = request_span(start=start, end=end, duration=duration, resources=resources)
            waiting = _must_wait(
                resources=resources,
                start=start,
                end=end,
                now=now,
                enforce_notice=not managed,
                waitlist=waitlist,
            )
            return _write(
                actor=actor,
                customer=customer,
                resources=resources,
                start=start,
                end=end,
                notes=notes,
                now=now,
                waiting=waiting,
                confirm_by=confirm_by,
            )
    except IntegrityError as exc:
        if is_overlap_violation(exc):
            raise BookingRefused("That time is already taken.", code="slot_unavailable") from exc
        raise
    except OperationalError as exc:
        if is_lock_failure(exc):
            raise LockTimeout() from exc
        raise


def _slot_key(resources: Sequence[Resource], start: datetime, end: datetime) -> str:
    return waitlist_key_for_time(resource_ids=[r.pk for r in resources], start=start, end=end)


def _must_wait(
    *,
    resources: Sequence[Resource],
    start: datetime,
    end: datetime,
    now: datetime,
    enforce_notice: bool,
    waitlist: bool,
) -> bool:
    """False if the time is free; True if it is full and the customer asked to wait; else the
    refusal. Caller holds the resources' locks."""
    try:
        ensure_time_free(
            resources=resources, start=start, end=end, now=now, enforce_notice=enforce_notice
        )
    except BookingRefused as refusal:
        if not waitlist or refusal.code != "slot_unavailable":
            raise
        return True
    return False


def _unique_ids(resource_ids: Sequence[int]) -> list[int]:
    ids = list(dict.fromkeys(resource_ids))
    if not ids:
        raise ValidationFailed("Name a resource.", code="required", field="resource")
    if len(ids) != len(resource_ids):
        raise ValidationFailed(
            "A resource is listed twice.", code="duplicate_resource", field="resources"
        )
    if len(ids) > MAX_GIG_RESOURCES:
        raise ValidationFailed(
            f"A gig books at most {MAX_GIG_RESOURCES} resources.",
            code="too_many_resources",
            field="resources",
        )
    return ids


def _write(
    *,
    actor: Any,
    customer: User,
    resources: Sequence[Resource],
    start: datetime,
    end: datetime,
    notes: str,
    now: datetime,
    waiting: bool = False,
    confirm_by: datetime | None = None,
) -> Booking:
    """Write the booking (live, or `waitlisted` holding nothing, at the end of its list) with
    its allocations (`new.booking_write_new`)."""
    approved = {r.pk: not r.approval_required or manages_all(actor, [r]) for r in resources}
    pending = not all(approved.values())
    deadline = None
    if waiting:
        status = BookingStatus.WAITLISTED
    elif confirm_by is not None:
        status, deadline = BookingStatus.PENDING, min(start, confirm_by)
    elif pending:
        status, deadline = BookingStatus.PENDING, approval_deadline(start, now)
    else:
        status = BookingStatus.CONFIRMED
    booking = Booking(
        kind=BookingKind.GIG if len(resources) > 1 else BookingKind.TIME,
        status=status,
        customer=customer,
        created_by=actor if actor.pk != customer.pk else None,
        starts_at=start,
        ends_at=end,
        notes=notes,
        confirm_deadline=deadline,
    )
    allocations = [
        TimeAllocation(
            booking=booking,
            resource=resource,
            starts_at=start,
            ends_at=end,
            occupied_from=start - timedelta(minutes=resource.buffer_before),
            occupied_to=end + timedelta(minutes=resource.buffer_after),
            is_live=not waiting,
            exclusive=resource.capacity == 1,
            approved=approved[resource.pk],
        )
        for resource in resources
    ]
    spot = WaitlistSpot(list_key=_slot_key(resources, start, end), quantity=1) if waiting else None
    return booking_write_new(
        booking=booking,
        actor=actor,
        parts=[Part("allocations", allocations, alias="a", key="resource_id")],
        now=now,
        reason="awaiting email confirmation" if confirm_by is not None else "",
        waitlist=spot,
    )
