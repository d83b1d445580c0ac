"""Extension points of `/api/bookings/`, so other kinds of booking plug in without editing the
view (the events app registers ticket bookings here from its `AppConfig.ready`):

- `register_create_handler(CreateHandler(name, matches, handle, request_serializer))`:
  `POST /api/bookings/` asks each handler, in registration order, `matches(body)`; the first that
  answers yes handles the request (`handle(request) -> Response`), before the time-booking path.
  E.g. events: `matches=lambda body: "show_id" in body or "event" in body`. The request
  serializer is listed in the OpenAPI schema as one of the accepted bodies. The handler runs
  inside the idempotency wrapper, so `Idempotency-Key` works for every kind.
- `register_output_field(name, field)`: adds a read-only field to `BookingOutput` (e.g.
  `show`, `seats`); pair it with `selectors.bookings.register_output_prefetch(...)` so lists
  stay at a fixed number of queries.
- Visibility and rights follow `tessera.bookings.access.register_holding(...)`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response


@dataclass(frozen=True)
class CreateHandler:
    name: str
    matches: Callable[[Mapping[str, Any]], bool]
    handle: Callable[[Request], Response]
    request_serializer: type[serializers.Serializer] | None = None


_create_handlers: dict[str, CreateHandler] = {}


def register_create_handler(handler: CreateHandler) -> None:
    _create_handlers[handler.name] = handler


def create_handler_for(body: Mapping[str, Any]) -> CreateHandler | None:
    for handler in _create_handlers.values():
        if handler.matches(body):
            return handler
    return None


def create_request_serializers() -> list[type[serializers.Serializer]]:
    return [h.request_serializer for h in _create_handlers.values() if h.request_serializer]


def register_output_field(name: str, field: serializers.Field) -> None:
    from tessera.api.serializers import output_fields_changed

    from .serializers import BookingOutput

    if not field.read_only:
        raise ValueError("booking output fields are read-only")
    BookingOutput._declared_fields[name] = field
    output_fields_changed()
