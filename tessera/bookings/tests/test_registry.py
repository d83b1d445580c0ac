"""Other kinds of booking plug into /api/bookings/ without editing the view."""

from collections.abc import Iterator

import pytest
from django.db.models import Q
from rest_framework import serializers
from rest_framework.response import Response

from tessera.api.serializers import output_fields_changed
from tessera.bookings import access
from tessera.bookings.api import registry
from tessera.bookings.api.serializers import BookingOutput
from tessera.bookings.models import Booking
from tessera.core.models import IdempotencyRecord

from .conftest import at

pytestmark = pytest.mark.django_db


@pytest.fixture
def ticket_kind(customer) -> Iterator[list]:
    """A stand-in for the events app: handles {"show_id", "seat_ids"} bodies (in place of the
    handlers the installed events app registers, which are set aside meanwhile)."""
    calls: list = []
    installed = dict(registry._create_handlers)
    registry._create_handlers.clear()

    def handle(request):
        calls.append(request.data)
        booking = Booking.objects.create(
            kind="seating",
            status="confirmed",
            customer=request.user,
            starts_at=at(9, 20),
            ends_at=at(9, 22),
        )
        return Response({"id": booking.pk, "seats": request.data["seat_ids"]}, status=201)

    registry.register_create_handler(
        registry.CreateHandler(
            name="test-seats", matches=lambda body: "show_id" in body, handle=handle
        )
    )
    yield calls
    registry._create_handlers.clear()
    registry._create_handlers.update(installed)


def test_a_registered_handler_answers_its_bodies_and_is_idempotent(customer_api, ticket_kind):
    body = {"show_id": 4, "seat_ids": [1, 2]}
    first = customer_api.post("/api/bookings/", body, format="json", HTTP_IDEMPOTENCY_KEY="t-1")
    again = customer_api.post("/api/bookings/", body, format="json", HTTP_IDEMPOTENCY_KEY="t-1")
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json()
    assert first.json()["seats"] == [1, 2]
    assert len(ticket_kind) == 1
    assert IdempotencyRecord.objects.count() == 1


def test_time_bodies_still_take_the_time_path(customer_api, chair, ticket_kind):
    response = customer_api.post("/api/bookings/", {"resource": chair.pk, "start_time": at(2, 9)})
    assert response.status_code == 201
    assert ticket_kind == []


def test_output_fields_and_holdings_can_be_added(client_for, customer_api, make_user, chair):
    organiser = make_user()
    booking_id = customer_api.post(
        "/api/bookings/", {"resource": chair.pk, "start_time": at(2, 9)}
    ).json()["id"]
    holding = access.Holding(
        name="test-notes",
        scope=lambda user: Q(notes=f"organiser:{user.pk}"),
        owns=lambda user, booking: booking.notes == f"organiser:{user.pk}",
    )
    access.register_holding(holding)
    registry.register_output_field(
        "reference_again", serializers.CharField(source="reference", read_only=True)
    )
    try:
        assert client_for(organiser).get("/api/bookings/").json()["count"] == 0
        Booking.objects.filter(pk=booking_id).update(notes=f"organiser:{organiser.pk}")
        seen = client_for(organiser).get(f"/api/bookings/{booking_id}/")
        assert seen.status_code == 200
        assert seen.json()["reference_again"] == seen.json()["reference"]
        assert client_for(organiser).get("/api/bookings/").json()["count"] == 1
    finally:
        access._holdings.pop("test-notes")
        BookingOutput._declared_fields.pop("reference_again")
        output_fields_changed()


def test_an_output_field_must_be_read_only():
    with pytest.raises(ValueError, match="read-only"):
        registry.register_output_field("x", serializers.CharField())


class SeatsInput(serializers.Serializer):
    show_id = serializers.IntegerField()
    seat_ids = serializers.ListField(child=serializers.IntegerField())


def test_a_registered_body_is_documented_in_the_schema():
    from drf_spectacular.generators import SchemaGenerator

    handler = registry.CreateHandler(
        name="test-schema",
        matches=lambda body: "show_id" in body,
        handle=lambda request: Response(status=201),
        request_serializer=SeatsInput,
    )
    installed = dict(registry._create_handlers)  # the events app's, set aside meanwhile
    registry._create_handlers.clear()
    registry.register_create_handler(handler)
    try:
        schema = SchemaGenerator().get_schema(request=None, public=True)
    finally:
        registry._create_handlers.clear()
        registry._create_handlers.update(installed)
    body = schema["paths"]["/api/bookings/"]["post"]["requestBody"]["content"]["application/json"]
    component = schema["components"]["schemas"][body["schema"]["$ref"].rsplit("/", 1)[-1]]
    refs = {item["$ref"].rsplit("/", 1)[-1] for item in component["oneOf"]}
    assert refs == {"BookingTimeCreateInputRequest", "SeatsInputRequest"}
