"""Ticket bookings in `/api/bookings/`, plugged in through the bookings app's registry.

- four create handlers (`{"hold"}`, `{"event"}`, `{"show_id", "seat_ids"}`,
  `{"show", "quantity"}`), each with its request serializer for the OpenAPI schema;
- output fields `show`, `event`, `quantity`, `seat_ids`, `seats`, `booking_date`, with their
  prefetches (a list of bookings stays at a fixed number of queries);
- the holding "shows": an organizer sees and manages the bookings on their shows.

Called once from `EventsConfig.ready`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, Q
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from tessera.bookings.access import Holding, register_holding
from tessera.bookings.api.registry import (
    CreateHandler,
    register_create_handler,
    register_output_field,
)
from tessera.bookings.models import Booking
from tessera.bookings.selectors.bookings import booking_prefetch_output, register_output_prefetch
from tessera.core.errors import ValidationFailed

from ..models import Event, SeatClaim, Show, TicketBooking
from ..services.tickets import (
    ticket_booking_create_best_available,
    ticket_booking_create_for_event,
    ticket_booking_create_for_places,
    ticket_booking_create_for_seats,
    ticket_booking_create_from_hold,
)
from .serializers.tickets import (
    BookingDateOutput,
    BookingEventCreateInput,
    BookingHoldCreateInput,
    BookingPlacesCreateInput,
    BookingSeatsCreateInput,
    EventIdOutput,
    QuantityOutput,
    SeatIdsOutput,
    SeatsOutput,
    ShowIdOutput,
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


def _created(request: Request, booking: Booking) -> Response:
    """201 with the booking. A booking just made from seats or places has its ticket and seats
    in hand (the service filled its caches) and no time allocations: no query is needed."""
    from tessera.bookings.api.views import booking_response

    if booking._state.fields_cache.get("ticket") is None:
        booking = booking_prefetch_output(booking)
    else:
        allocations = booking.allocations.all()
        allocations._result_cache = []
        allocations._prefetch_done = True  # type: ignore[attr-defined]
        booking._prefetched_objects_cache["allocations"] = allocations  # type: ignore[attr-defined]
    response = booking_response(request, booking)
    response.status_code = status.HTTP_201_CREATED
    response["Location"] = f"/api/bookings/{booking.pk}/"
    return response


def _customer(values: dict[str, Any], request: Request) -> Any:
    return user_or_400(values["customer_id"], field="user") or request.user


def create_seats(request: Request) -> Response:
    values = _valid(BookingSeatsCreateInput, request)
    booking = ticket_booking_create_for_seats(
        show=_named(Show, values["show_id"], "show_id"),
        seat_ids=values["seat_ids"],
        customer=_customer(values, request),
        actor=request.user,
        notes=values.get("notes", ""),
    )
    return _created(request, booking)


def create_places(request: Request) -> Response:
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


def create_from_hold(request: Request) -> Response:
    values = _valid(BookingHoldCreateInput, request)
    customer = user_or_400(values["customer_id"], field="user")
    booking = ticket_booking_create_from_hold(
        token=values["hold"], actor=request.user, customer=customer, notes=values.get("notes", "")
    )
    return _created(request, booking)


def create_for_event(request: Request) -> Response:
    values = _valid(BookingEventCreateInput, request)
    booking = ticket_booking_create_for_event(
        event=_named(Event, values["event"], "event"),
        customer=_customer(values, request),
        actor=request.user,
        quantity=values["quantity"],
        notes=values.get("notes", ""),
    )
    return _created(request, booking)


def _has(*keys: str) -> Any:
    def matches(body: Mapping[str, Any]) -> bool:
        return any(key in body for key in keys)

    return matches


def _is_seats(body: Mapping[str, Any]) -> bool:
    """`seat_ids`, or `show_id` alone; `{"show_id", "quantity"}` is a request for places."""
    return "seat_ids" in body or ("show_id" in body and "quantity" not in body)


def _shows_scope(user: Any) -> Q:
    return Q(Exists(TicketBooking.objects.filter(booking=OuterRef("pk"), show__event__owner=user)))


def _owns_show(user: Any, booking: Booking) -> bool:
    return TicketBooking.objects.filter(booking=booking, show__event__owner=user).exists()


def register() -> None:
    for name, matches, handle, serializer in (
        ("tickets.hold", _has("hold"), create_from_hold, BookingHoldCreateInput),
        ("tickets.event", _has("event"), create_for_event, BookingEventCreateInput),
        ("tickets.seats", _is_seats, create_seats, BookingSeatsCreateInput),
        ("tickets.places", _has("quantity", "show"), create_places, BookingPlacesCreateInput),
    ):
        register_create_handler(CreateHandler(name, matches, handle, serializer))
    for field_name, field in (
        ("show", ShowIdOutput()),
        ("event", EventIdOutput()),
        ("quantity", QuantityOutput()),
        ("seat_ids", SeatIdsOutput()),
        ("seats", SeatsOutput()),
        ("booking_date", BookingDateOutput()),
    ):
        register_output_field(field_name, field)
    register_output_prefetch(
        Prefetch("ticket", queryset=TicketBooking.objects.select_related("show"))
    )
    register_output_prefetch(
        Prefetch(
            "seat_claims", queryset=SeatClaim.objects.select_related("seat").order_by("seat_id")
        )
    )
    register_holding(Holding("shows", scope=_shows_scope, owns=_owns_show))
