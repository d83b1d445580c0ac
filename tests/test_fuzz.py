"""Fuzzing the booking and resource endpoints: whatever the body or the query, never a 500,
and every error is a problem document. (Hypothesis; bounded number of examples.)"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from rest_framework.test import APIClient
from rest_framework_simplejwt.tokens import AccessToken

from tessera.accounts.roles import Role
from tessera.bookings.services.create import booking_create_time
from tessera.scheduling.tests.factories import make_resource
from tests.fuzzing import assert_sane, fuzz_settings, json_bodies, query_strings

pytestmark = pytest.mark.django_db

FUZZ = fuzz_settings(60)
KEYS = [
    "resource", "resources", "start_time", "end_time", "duration", "customer", "user", "notes",
    "status", "reason", "name", "kind", "capacity", "max_slots", "timezone", "owner", "rules",
    "hours", "start_date", "end_date", "start_time", "show_id",
]  # fmt: skip
TRICKY = [
    "2027-03-02T10:00:00Z",
    "2027-03-02T10:00:00",
    "2027-03-02",
    "09:00",
    "Europe/Lisbon",
    "",
    "0",
    "1e400",
]
bodies = json_bodies(KEYS, TRICKY, text_size=30)
params = query_strings(
    [
        "start",
        "end",
        "duration",
        "step",
        "tz",
        "resources",
        "from",
        "to",
        "status",
        "customer",
        "resource",
        "provider",
        "ordering",
        "page",
        "page_size",
        "kind",
        "q",
        "owner",
    ]
)


@pytest.fixture
def setup(make_user) -> dict[str, Any]:
    provider = make_user(Role.PROVIDER)
    customer = make_user(Role.CUSTOMER)
    resource = make_resource(owner=provider, hours=[(d, time(0), time(0)) for d in range(7)])
    start = datetime.now(tz=UTC).replace(minute=0, second=0, microsecond=0) + timedelta(days=2)
    booking = booking_create_time(actor=customer, resource_ids=[resource.pk], start=start)

    def client(user: Any) -> APIClient:
        api = APIClient()
        api.credentials(HTTP_AUTHORIZATION=f"Bearer {AccessToken.for_user(user)}")
        return api

    return {
        "customer": client(customer),
        "provider": client(provider),
        "resource": resource,
        "booking": booking,
    }


sane = assert_sane


@FUZZ
@given(body=bodies)
def test_booking_bodies(setup, body):
    sane(setup["customer"].post("/api/bookings/", body, format="json"))
    sane(setup["customer"].patch(f"/api/bookings/{setup['booking'].pk}/", body, format="json"))


@FUZZ
@given(body=bodies)
def test_resource_bodies(setup, body):
    resource = setup["resource"].pk
    sane(setup["provider"].post("/api/resources/", body, format="json"))
    sane(setup["provider"].patch(f"/api/resources/{resource}/", body, format="json"))
    sane(setup["provider"].put(f"/api/resources/{resource}/hours/", body, format="json"))
    sane(setup["provider"].post(f"/api/resources/{resource}/closures/", body, format="json"))


@FUZZ
@given(query=params)
def test_query_strings(setup, query):
    resource = setup["resource"].pk
    for path in (
        f"/api/resources/{resource}/availability/",
        "/api/availability/",
        "/api/bookings/",
        "/api/resources/",
    ):
        sane(setup["customer"].get(path, query))


@FUZZ
@given(raw=st.binary(max_size=60) | st.text(max_size=60).map(str.encode))
def test_raw_bodies(setup, raw):
    response = setup["customer"].generic(
        "POST", "/api/bookings/", raw, content_type="application/json"
    )
    sane(response)


@pytest.mark.parametrize(
    "raw",
    [
        b'{"resource": 1e400, "start_time": "2027-03-02T10:00:00Z"}',
        b'{"resource": 1, "duration": 1e400, "start_time": "2027-03-02T10:00:00Z"}',
        b'{"resource": NaN, "start_time": "2027-03-02T10:00:00Z"}',
        b'{"resources": [Infinity]}',
        b"[" * 5000,
        rb'{"start_time": "\u0000"}',
    ],
)
def test_numbers_json_cannot_hold_and_deep_nesting(setup, raw):
    sane(setup["customer"].generic("POST", "/api/bookings/", raw, content_type="application/json"))
