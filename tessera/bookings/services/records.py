"""Bookings recorded after the fact: a service that has already taken place (a served walk-in).

Such a booking is `completed` from the start and holds nothing (its allocation is not live):
it takes no capacity and is not checked against opening hours, since it describes what
happened rather than asking for time. It exists for the customer's history, analytics and the
average service time that walk-in estimates use.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import transaction

from tessera.accounts.models import User
from tessera.core.clock import utcnow
from tessera.core.errors import PermissionDenied, ValidationFailed
from tessera.scheduling.locks import resources_lock

from ..models import Booking, BookingKind, BookingStatus, TimeAllocation
from .checks import manages_all
from .new import Part, booking_write_new


def booking_record_completed(
    *,
    resource_id: int,
    customer: User,
    actor: Any,
    start: datetime,
    end: datetime,
    asked_at: datetime | None = None,
    notes: str = "",
    now: datetime | None = None,
) -> Booking:
    """Record that `customer` was served on the resource during [start, end): a `completed`
    time booking, its (not live) allocation, its history row and its `booking.completed` event
    (webhooks, analytics, and the customer is thanked). `asked_at`, when the customer asked (e.g.
    joined a walk-in queue), is its `created_at`, so its lead time is the wait. Only the
    resource's owner or staff; the span must lie in the past (`end_before_start`,
    `not_yet_ended`)."""
    now = now or utcnow()
    if end <= start:
        raise ValidationFailed("The service must end after it starts.", code="end_before_start")
    if end > now:
        raise ValidationFailed("Only a service that has ended is recorded.", code="not_yet_ended")
    with transaction.atomic():
        resources = resources_lock(resource_ids=[resource_id])
        if not resources or not manages_all(actor, resources):
            raise PermissionDenied("Only the resource's owner or staff record a service.")
        resource = resources[0]
        booking = Booking(
            kind=BookingKind.TIME,
            status=BookingStatus.COMPLETED,
            customer=customer,
            created_by=actor if actor.pk != customer.pk else None,
            starts_at=start,
            ends_at=end,
            notes=notes,
        )
        allocation = TimeAllocation(
            booking=booking,
            resource=resource,
            starts_at=start,
            ends_at=end,
            occupied_from=start,
            occupied_to=end,
            is_live=False,
            exclusive=resource.capacity == 1,
        )
        booking_write_new(
            booking=booking,
            actor=actor,
            parts=[Part("allocations", [allocation], alias="a", key="resource_id")],
            now=now,
            reason="served",
        )
        if asked_at is not None:  # `auto_now_add` wrote now: when they asked is the truth
            Booking.objects.filter(pk=booking.pk).update(created_at=asked_at)
            booking.created_at = asked_at
        return booking
