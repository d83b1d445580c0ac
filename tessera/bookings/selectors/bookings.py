"""Reads of bookings, always through the one visibility rule (`access.booking_visibility`)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce

from tessera.accounts.access import ensure_can
from tessera.core.errors import NotFound
from tessera.core.orm import prefetch_forget

from ..access import booking_visibility
from ..kinds import all_kind_ops
from ..models import Booking, BookingStatus, BookingStatusChange, WaitlistEntry


def output_prefetches() -> list[Any]:
    """The lookups the booking output reads: every kind's (`kinds.KindOps.output_prefetch`)."""
    return [lookup for ops in all_kind_ops() for lookup in ops.output_prefetch()]


def booking_list(*, actor: Any) -> QuerySet[Booking]:
    """The bookings the actor may see, with what their output needs prefetched."""
    return (
        Booking.objects.filter(booking_visibility(actor))
        .prefetch_related(*output_prefetches())
        .order_by("-starts_at", "-id")
    )


def booking_get_for_actor(*, booking_id: int, actor: Any, action: str = "view") -> Booking:
    """One booking the actor may see (or change): 404 if they may not even see it."""
    booking = Booking.objects.filter(pk=booking_id).prefetch_related(*output_prefetches()).first()
    if booking is None or not _visible(actor, booking):
        raise NotFound("No such booking.", code="booking_not_found")
    if action == "change":
        ensure_can(actor, "change", booking)
    return booking


def _visible(actor: Any, booking: Booking) -> bool:
    from tessera.accounts.access import user_can

    return user_can(actor, "view", booking)


def booking_history(*, booking: Booking) -> QuerySet[BookingStatusChange]:
    return BookingStatusChange.objects.filter(booking=booking).order_by("at", "id")


def booking_prefetch_output(booking: Booking) -> Booking:
    """Re-read what the output of one booking needs (after a service changed it)."""
    from django.db.models import prefetch_related_objects

    prefetch_forget(booking)
    prefetch_related_objects([booking], *output_prefetches())
    return booking


def waitlist_position_of(*, booking: Booking) -> dict[str, Any] | None:
    """A waitlisted booking's place in line (1 = next) and quantity (and the seat category
    asked, if any), or None."""
    return waitlist_positions_of(bookings=[booking]).get(booking.pk)


def waitlist_positions_of(*, bookings: Iterable[Booking]) -> dict[int, dict[str, Any]]:
    """`waitlist_position_of` for many bookings: one query, none if no booking waits. The place
    in line is the entries of the same list still waiting ahead, plus one."""
    waiting = [b.pk for b in bookings if b.status == BookingStatus.WAITLISTED]
    if not waiting:
        return {}
    ahead = (
        WaitlistEntry.objects.filter(
            list_key=OuterRef("list_key"),
            position__lt=OuterRef("position"),
            booking__status=BookingStatus.WAITLISTED,
        )
        .order_by()
        .values("list_key")
        .annotate(n=Count("pk"))
        .values("n")
    )
    entries = WaitlistEntry.objects.filter(booking_id__in=waiting).annotate(
        ahead=Coalesce(Subquery(ahead, output_field=IntegerField()), 0)
    )
    found: dict[int, dict[str, Any]] = {}
    for entry in entries:
        found[entry.booking_id] = {"position": entry.ahead + 1, "quantity": entry.quantity}
        if entry.category:
            found[entry.booking_id]["category"] = entry.category
    return found
