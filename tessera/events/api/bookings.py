"""Ticket bookings in `POST /api/bookings/`: the four create handlers (`{"hold"}`, `{"event"}`,
`{"show_id", "seat_ids"}`, `{"show", "quantity"}`) that `tessera.bookings.api.kinds.CREATE_ROUTES`
names, each with its request serializer (`serializers/tickets.py`).
"""

from __future__ import annotations

from typing import Any

from rest_framework import serializers
from rest_framework.request import Request

from tessera.bookings.models import Booking
from tessera.bookings.selectors.bookings import booking_prefetch_output
from tessera.core.errors import ValidationFailed
from tessera.core.orm import prefetch_fill

from ..models import Event, Show
from ..services.tickets import (
    ticket_booking_create_best_available,
    ticket_booking_create_for_event,
    ticket_booking_create_for_places,
    ticket_booking_create_for_seats,
    ticket_booking_create_from_hold,
)
from .serializers.tickets import (
    BookingEventCreateInput,
    BookingHoldCreateInput,
    BookingPlacesCreateInput,
    BookingSeatsCreateInput,
)
from .views.common import user_or_400


def _valid(serializer_class: type[serializers.Serializer], request: Request) -> dict[str, Any]:
    data = serializer_class(data=request.data)
    data.is_valid(raise_exception=True)
    return dict(data.validated_data)


def _named(model: type[Any], pk: int, field: str) -> Any:
    """The show or event a body names, or a 400 on that field."""
    queryset = model.objects.select_related("event", "venue") if model is Show else model.objects
    found = queryset.filter(pk=pk).first()
    if found is None:
        raise ValidationFailed(
            f"No such {field.removesuffix('_id')}.", code="does_not_exist", field=field
        )
    return found


def _created(request: Request, booking: Booking) -> Booking:
    """The new booking, ready for `BookingOutput` (the view renders the 201). One just made from
    seats or places has its ticket and seats in hand (the service filled its caches) and no
    time allocations: no query is needed."""
    if not Booking.ticket.is_cached(booking):
        return booking_prefetch_output(booking)
    prefetch_fill(booking, "allocations", [])
    return booking


def _customer(values: dict[str, Any], request: Request) -> Any:
    return user_or_400(values["customer_id"], field="user") or request.user


def create_seats(request: Request) -> Booking:
    values = _valid(BookingSeatsCreateInput, request)
    booking = ticket_booking_create_for_seats(
        show=_named(Show, values["show_id"], "show_id"),
        seat_ids=values["seat_ids"],
        customer=_customer(values, request),
        actor=request.user,
        notes=values.get("notes", ""),
    )
    return _created(request, booking)


def create_places(request: Request) -> Booking:
    values = _valid(BookingPlacesCreateInput, request)
    show = _named(Show, values["show_id"], "show")
    waitlist, category = values.get("waitlist", False), values.get("category", "")
    if show.is_reserved and waitlist:  # seats chosen for the customer, now or when they free
        booking = ticket_booking_create_best_available(
            show=show,
            quantity=values["quantity"],
            category=category,
            customer=_customer(values, request),
            actor=request.user,
            notes=values.get("notes", ""),
        )
        return _created(request, booking)
    if category:
        raise ValidationFailed(
            "A seat category is asked with a quantity of a reserved-seating show and "
            '"waitlist": true.',
            code="not_allowed",
            field="category",
        )
    booking = ticket_booking_create_for_places(
        show=show,
        quantity=values["quantity"],
        customer=_customer(values, request),
        actor=request.user,
        notes=values.get("notes", ""),
        waitlist=waitlist,
    )
    return _created(request, booking)


def create_from_hold(request: Request) -> Booking:
    values = _valid(BookingHoldCreateInput, request)
    customer = user_or_400(values["customer_id"], field="user")
    booking = ticket_booking_create_from_hold(
        token=values["hold"], actor=request.user, customer=customer, notes=values.get("notes", "")
    )
    return _created(request, booking)


def create_for_event(request: Request) -> Booking:
    values = _valid(BookingEventCreateInput, request)
    booking = ticket_booking_create_for_event(
        event=_named(Event, values["event"], "event"),
        customer=_customer(values, request),
        actor=request.user,
        quantity=values["quantity"],
        notes=values.get("notes", ""),
    )
    return _created(request, booking)
