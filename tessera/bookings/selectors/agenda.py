"""An owner's agenda: the bookings of time on the resources they own over a window, for the
provider's dashboard. One query, whatever the number of bookings or resources."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db.models import QuerySet

from ..models import BookingStatus, TimeAllocation

S = BookingStatus
# What an agenda shows, and nothing more (a week of 500 rows converts fewer columns).
AGENDA_FIELDS = (
    "resource_id",
    "starts_at",
    "ends_at",
    "approved",
    "booking__status",
    "booking__reference",
    "booking__notes",
    "booking__starts_at",
    "booking__ends_at",
    "booking__kind",
    "booking__customer__username",
    "booking__customer__first_name",
    "booking__customer__last_name",
    "booking__waitlist_entry__position",
)
SHOWN = (S.WAITLISTED, S.PENDING, S.CONFIRMED, S.IN_PROGRESS, S.COMPLETED, S.NO_SHOW)


def agenda_for_owner(*, owner: Any, start: datetime, end: datetime) -> QuerySet[TimeAllocation]:
    """The allocations on `owner`'s resources that start in [start, end) and whose booking is
    waiting, live or finished as held (cancelled, declined and expired ones are left out), with
    their booking, its customer and its waiting-list entry in the same query (the columns an
    agenda shows: `AGENDA_FIELDS`),
    ordered by resource then start. Waitlisted bookings come too (the day's waiting list)."""
    return (
        TimeAllocation.objects.filter(
            resource__owner=owner,
            starts_at__gte=start,
            starts_at__lt=end,
            booking__status__in=SHOWN,
        )
        .select_related("booking", "booking__customer", "booking__waitlist_entry")
        .only(*AGENDA_FIELDS)
        .order_by("resource__name", "resource_id", "starts_at", "booking_id")
    )
