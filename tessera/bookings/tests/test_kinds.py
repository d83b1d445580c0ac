"""The table of kinds (`kinds.KIND_OPS`) and the create routes (`api/kinds.CREATE_ROUTES`)."""

import pytest
from django.utils.module_loading import import_string
from drf_spectacular.generators import SchemaGenerator

from tessera.bookings.api.kinds import CREATE_ROUTES, create_route_for
from tessera.bookings.api.serializers import BookingOutput
from tessera.bookings.kinds import KIND_OPS, KindOps, all_kind_ops, kind_ops
from tessera.bookings.models import BookingKind


def test_every_kind_has_an_implementation_of_the_protocol():
    assert set(KIND_OPS) == set(BookingKind.values)
    for kind in BookingKind.values:
        assert isinstance(kind_ops(kind), KindOps)
    assert kind_ops(BookingKind.TIME) is kind_ops(BookingKind.GIG)
    assert kind_ops(BookingKind.ADMISSION) is kind_ops(BookingKind.SEATING)
    assert len(all_kind_ops()) == 2


def test_an_unknown_kind_is_a_key_error():
    with pytest.raises(KeyError):
        kind_ops("parking")


@pytest.mark.parametrize(
    ("body", "route"),
    [
        ({"hold": "abc"}, "tickets.hold"),
        ({"user": 1, "event": 2}, "tickets.event"),
        ({"show_id": 1, "seat_ids": [2]}, "tickets.seats"),
        ({"show_id": 1}, "tickets.seats"),
        ({"show_id": 1, "quantity": 2}, "tickets.places"),
        ({"show": 1, "quantity": 2}, "tickets.places"),
        ({"resource": 1, "start_time": "2030-01-01T09:00:00Z"}, None),
        ({"resources": [1, 2], "start_time": "2030-01-01T09:00:00Z"}, None),
    ],
)
def test_each_body_shape_takes_its_route(body, route):
    found = create_route_for(body)
    assert (found.name if found is not None else None) == route


def test_every_route_resolves_to_a_handler_and_a_request_serializer():
    for route in CREATE_ROUTES:
        assert callable(import_string(route.handler))
        assert route.request_class().__name__.endswith("CreateInput")


def test_ticket_fields_are_declared_on_the_output():
    fields = BookingOutput().fields
    for name in ("show", "event", "quantity", "seat_ids", "seats", "booking_date"):
        assert fields[name].read_only


def test_the_schema_lists_every_kinds_body():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    body = schema["paths"]["/api/bookings/"]["post"]["requestBody"]["content"]["application/json"]
    component = schema["components"]["schemas"][body["schema"]["$ref"].rsplit("/", 1)[-1]]
    refs = {item["$ref"].rsplit("/", 1)[-1] for item in component["oneOf"]}
    assert refs == {
        "BookingTimeCreateInputRequest",
        "BookingHoldCreateInputRequest",
        "BookingEventCreateInputRequest",
        "BookingSeatsCreateInputRequest",
        "BookingPlacesCreateInputRequest",
    }
