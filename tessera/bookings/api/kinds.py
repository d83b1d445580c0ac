"""How `POST /api/bookings/` finds the kind a body asks for: one explicit list, read in order.

The first route whose `matches(body)` answers yes handles the request (`handler(request) ->
Booking`, the new booking ready for `BookingOutput`; the view renders the 201 inside its
idempotency wrapper, so `Idempotency-Key` works for every kind);
a body no route matches books time (`BookingViewSet._create_time`). Each route's request
serializer is one of the bodies the OpenAPI schema lists. Ticket bookings are handled by the
events app, which builds on this one: their handlers and serializers are named by dotted path
(resolved on first use), as Django's settings name middleware, so the imports keep one
direction and a reader still finds every handler here.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.utils.module_loading import import_string
from rest_framework import serializers
from rest_framework.request import Request

from ..models import Booking


def _has(*keys: str) -> Callable[[Mapping[str, Any]], bool]:
    def matches(body: Mapping[str, Any]) -> bool:
        return any(key in body for key in keys)

    return matches


def _is_seats(body: Mapping[str, Any]) -> bool:
    """`seat_ids`, or `show_id` alone; `{"show_id", "quantity"}` is a request for places."""
    return "seat_ids" in body or ("show_id" in body and "quantity" not in body)


@dataclass(frozen=True)
class CreateRoute:
    name: str
    matches: Callable[[Mapping[str, Any]], bool]
    handler: str
    request_serializer: str

    def handle(self, request: Request) -> Booking:
        return _imported(self.handler)(request)

    def request_class(self) -> type[serializers.Serializer]:
        return _imported(self.request_serializer)


_TICKETS = "tessera.events.api.bookings"
_TICKET_INPUTS = "tessera.events.api.serializers.tickets"

CREATE_ROUTES: tuple[CreateRoute, ...] = (
    CreateRoute(
        "tickets.hold",
        _has("hold"),
        f"{_TICKETS}.create_from_hold",
        f"{_TICKET_INPUTS}.BookingHoldCreateInput",
    ),
    CreateRoute(
        "tickets.event",
        _has("event"),
        f"{_TICKETS}.create_for_event",
        f"{_TICKET_INPUTS}.BookingEventCreateInput",
    ),
    CreateRoute(
        "tickets.seats",
        _is_seats,
        f"{_TICKETS}.create_seats",
        f"{_TICKET_INPUTS}.BookingSeatsCreateInput",
    ),
    CreateRoute(
        "tickets.places",
        _has("quantity", "show"),
        f"{_TICKETS}.create_places",
        f"{_TICKET_INPUTS}.BookingPlacesCreateInput",
    ),
)


@functools.cache
def _imported(path: str) -> Any:
    return import_string(path)


def create_route_for(body: Mapping[str, Any]) -> CreateRoute | None:
    """The route of the first kind whose body shape this is; None: a time booking."""
    for route in CREATE_ROUTES:
        if route.matches(body):
            return route
    return None


def create_request_serializers() -> list[type[serializers.Serializer]]:
    return [route.request_class() for route in CREATE_ROUTES]
