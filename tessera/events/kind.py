"""Ticket bookings (general admission, reserved seating): their row of the bookings app's kinds
table (`tessera.bookings.kinds.KIND_OPS` names `TICKET_KIND`)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, Q

from tessera.bookings.models import Booking

from .booking_events import (
    ticket_booking_awaits_approval,
    ticket_booking_describe,
    ticket_booking_waitlist_candidates,
)
from .models import SeatClaim, TicketBooking
from .services.status import ticket_follow_status


def _shows_scope(user: Any) -> Q:
    return Q(Exists(TicketBooking.objects.filter(booking=OuterRef("pk"), show__event__owner=user)))


def _owns_show(user: Any, booking: Booking) -> bool:
    return TicketBooking.objects.filter(booking=booking, show__event__owner=user).exists()


def _follow_status_many(bookings: Sequence[Booking], from_status: str, to_status: str) -> None:
    for booking in bookings:
        ticket_follow_status(booking, from_status, to_status)


_OUTPUT_PREFETCH = (
    Prefetch("ticket", queryset=TicketBooking.objects.select_related("show")),
    Prefetch("seat_claims", queryset=SeatClaim.objects.select_related("seat").order_by("seat_id")),
)


class TicketKind:
    """`KindOps` of ticket bookings: the organizer of a show sees and manages the bookings on
    it; a booking's claims follow its status; a freed place promotes from the show's list."""

    follow_status = staticmethod(ticket_follow_status)
    follow_status_many = staticmethod(_follow_status_many)
    waitlist_where = staticmethod(ticket_booking_waitlist_candidates)
    awaits_approval = staticmethod(ticket_booking_awaits_approval)
    describe = staticmethod(ticket_booking_describe)
    scope = staticmethod(_shows_scope)
    owns = staticmethod(_owns_show)

    def output_prefetch(self) -> Sequence[Any]:
        return _OUTPUT_PREFETCH


TICKET_KIND = TicketKind()
