"""Fuzzing the venue, hall, event, show, hold and ticket endpoints: whatever the body or the
query, never a 500, and every error is a problem document. (Hypothesis; bounded examples.)"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from rest_framework.test import APIClient
from rest_framework_simplejwt.tokens import AccessToken

from tessera.accounts.roles import Role
from tessera.events.models import Seat
from tessera.events.tests.factories import ReservedShowFactory, ShowFactory
from tests.fuzzing import assert_sane, fuzz_settings, json_bodies, query_strings

pytestmark = pytest.mark.django_db

FUZZ = fuzz_settings(40)
KEYS = [
    "name", "location", "capacity", "facilities", "timezone", "owner", "venue", "layout",
    "blocks", "rows", "numbers", "gaps", "category", "accessible", "blocked", "title",
    "description", "date", "time", "duration_minutes", "event", "hall", "starts_at", "ends_at",
    "seating", "price", "prices", "currency", "seat_ids", "quantity", "show", "show_id", "hold",
    "user", "customer", "notes", "status", "reason",
]  # fmt: skip
TRICKY = [
    "2031-03-02T10:00:00Z",
    "2031-03-02T10:00:00",
    "2031-03-02",
    "10:00",
    "A-C",
    "1-5",
    "Europe/Berlin",
    "",
    "1e400",
    "NaN",
    "N12",
    "3-12",
]
bodies = json_bodies(KEYS, TRICKY, text_size=20)
params = query_strings(
    [
        "category",
        "genre",
        "q",
        "venue",
        "event",
        "hall",
        "date",
        "date_from",
        "date_to",
        "starts_after",
        "starts_before",
        "status",
        "seating",
        "available",
        "ordering",
        "page",
        "page_size",
        "owner",
    ]
)


@pytest.fixture
def world(make_user) -> dict[str, Any]:
    organizer = make_user(Role.ORGANIZER)
    customer = make_user(Role.CUSTOMER)
    seated = ReservedShowFactory.create(event__owner=organizer, venue__owner=organizer)
    places = ShowFactory.create(event__owner=organizer, venue__owner=organizer)

    def client(user: Any) -> APIClient:
        api = APIClient()
        api.credentials(HTTP_AUTHORIZATION=f"Bearer {AccessToken.for_user(user)}")
        return api

    return {
        "organizer": client(organizer),
        "customer": client(customer),
        "seated": seated,
        "places": places,
        "seat": Seat.objects.filter(hall=seated.hall).first(),
    }


sane = assert_sane


@FUZZ
@given(body=bodies)
def test_organizer_bodies(world, body):
    api, show = world["organizer"], world["seated"]
    sane(api.post("/api/venues/", body, format="json"))
    sane(api.patch(f"/api/venues/{show.venue_id}/", body, format="json"))
    sane(api.post("/api/halls/", body, format="json"))
    sane(api.put(f"/api/halls/{show.hall_id}/layout/", body, format="json"))
    sane(api.patch(f"/api/halls/{show.hall_id}/seats/{world['seat'].pk}/", body, format="json"))
    sane(api.post("/api/events/", body, format="json"))
    sane(api.post("/api/shows/", body, format="json"))
    sane(api.patch(f"/api/shows/{show.pk}/", body, format="json"))


@FUZZ
@given(body=bodies)
def test_customer_bodies(world, body):
    api = world["customer"]
    sane(api.post(f"/api/shows/{world['seated'].pk}/holds/", body, format="json"))
    sane(api.post(f"/api/shows/{world['places'].pk}/holds/", body, format="json"))
    sane(api.post("/api/bookings/", body, format="json"))


@FUZZ
@given(query=params)
def test_catalogue_query_strings(world, query):
    for path in ("/api/events/", "/api/shows/", f"/api/shows/{world['seated'].pk}/seats/"):
        sane(world["customer"].get(path, query))


@pytest.mark.parametrize(
    "raw",
    [
        b'{"show_id": 1e400, "seat_ids": [1]}',
        b'{"show": 1, "quantity": NaN}',
        b'{"seat_ids": [Infinity]}',
        b'{"layout": {"blocks": [{"rows": "A-Z", "numbers": "1-99999999999999999999"}]}}',
        b"[" * 5000,
    ],
)
def test_numbers_json_cannot_hold(world, raw):
    for path in ("/api/bookings/", f"/api/shows/{world['seated'].pk}/holds/", "/api/halls/"):
        sane(world["customer"].generic("POST", path, raw, content_type="application/json"))
