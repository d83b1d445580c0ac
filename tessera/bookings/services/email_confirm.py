"""Bookings that wait for their customer to confirm an email address (guest booking on the web).

A request by someone without an account holds its time as `pending`, with a confirmation
deadline of its own (`confirm_by`), like a request awaiting approval: if the address is not
confirmed by then, the `expire` rule of the time-driven jobs lapses it and the time is free
again. Confirming moves it on as an owner's approval would: to `confirmed`, or, where an owner
still has to approve, it stays `pending` with the approval deadline of a new request.

Who may book without an account is the web app's decision (the resource's `guest_booking`
rule); these services only write the booking.
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction

from tessera.accounts.models import User
from tessera.core.clock import utcnow
from tessera.core.errors import Conflict, NotFound

from ..deadlines import approval_deadline
from ..lifecycle import booking_transition
from ..locks import booking_lock
from ..models import Booking, BookingStatus, TimeAllocation
from .create import booking_create_time

S = BookingStatus


def booking_create_time_awaiting_email(
    *,
    customer: User,
    resource_id: int,
    start: datetime,
    confirm_by: datetime,
    notes: str = "",
    now: datetime | None = None,
) -> Booking:
    """Book [start, start + the resource's duration) for `customer` as `pending` until
    `confirm_by` (at most until its start), or refuse with the reason's code (409
    `slot_unavailable`, `outside_availability`, notice and advance rules: the customer's rules).
    The one time-booking path (`create.booking_create_time`), with the customer as the actor.
    """
    return booking_create_time(
        actor=customer,
        resource_ids=[resource_id],
        start=start,
        notes=notes,
        confirm_by=confirm_by,
        now=now,
    )


def booking_email_confirmed(*, booking_id: int, now: datetime | None = None) -> Booking:
    """The customer proved their email address: a booking held by `booking_create_time_
    awaiting_email` goes on to `confirmed`, or stays `pending` for its owner's approval (with
    the deadline of a new request). A booking confirmed already is returned as it is (a retry);
    one that lapsed or was cancelled is refused (409 `booking_lapsed`).

    The caller (the web's guest flow) has checked that this booking awaits that confirmation.
    """
    now = now or utcnow()
    with transaction.atomic():
        booking = booking_lock(booking_id=booking_id)
        if booking is None:
            raise NotFound("No such booking.", code="booking_not_found")
        if booking.status == S.CONFIRMED:
            return booking
        if booking.status != S.PENDING:
            raise Conflict(
                "This booking is no longer held: it was not confirmed in time or was cancelled.",
                code="booking_lapsed",
                status=booking.status,
            )
        awaiting_owner = TimeAllocation.objects.filter(booking=booking, approved=False).exists()
        if awaiting_owner:
            booking.confirm_deadline = approval_deadline(booking.starts_at, now)
            booking.save(update_fields=["confirm_deadline", "updated_at"])
            return booking
        return booking_transition(
            booking=booking,
            to=S.CONFIRMED,
            actor=booking.customer,
            reason="email confirmed",
            now=now,
            extra_fields={"confirm_deadline": None},
        )
