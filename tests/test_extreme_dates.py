"""Dates at the edges of Python's calendar (years 1 and 9999) are a coded 400 everywhere they
come in, never an OverflowError 500 (issue 10, defect 5): one accepted range, 1900-2200."""

from __future__ import annotations

from datetime import date, time
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from tessera.accounts.roles import Role
from tessera.core.dates import datetime_in_range, ensure_date
from tessera.core.errors import ValidationFailed
from tessera.scheduling.models import Closure, ExtraOpening
from tessera.scheduling.services.availability import resource_closure_add
from tessera.scheduling.tests.factories import make_resource

pytestmark = pytest.mark.django_db

ANALYTICS = [
    "/api/analytics/trends/",
    "/api/analytics/rates/",
    "/api/analytics/utilisation/resources/",
    "/api/analytics/utilisation/shows/",
]


def assert_out_of_range(response: Any, field: str) -> None:
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["code"] == "invalid"
    assert {"field": field, "code": "out_of_range"} in [
        {"field": e["field"], "code": e["code"]} for e in body["errors"]
    ]


@pytest.fixture
def provider(make_user: Any) -> Any:
    return make_user(Role.PROVIDER)


@pytest.fixture
def chair(provider: Any) -> Any:
    return make_resource(owner=provider, hours=[(d, time(9), time(17)) for d in range(7)])


@pytest.mark.parametrize("path", ANALYTICS)
@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"start": "9999-12-25", "end": "9999-12-31"}, "start"),
        ({"start": "0001-01-01", "end": "0001-01-05", "tz": "America/New_York"}, "start"),
        ({"end": "9999-12-31"}, "end"),
        ({"start": "1899-12-31", "end": "1900-01-02"}, "start"),
    ],
)
def test_analytics_windows(staff_api: Any, path: str, params: dict[str, str], field: str) -> None:
    assert_out_of_range(staff_api.get(path, params), field)


def test_analytics_at_the_edges_of_the_range_answer(staff_api: Any) -> None:
    for window in (
        {"start": "1900-01-01", "end": "1900-01-07"},
        {"start": "2200-12-25", "end": "2200-12-31", "tz": "Pacific/Kiritimati"},
    ):
        for path in ANALYTICS:
            assert staff_api.get(path, window).status_code == 200, (path, window)


@pytest.mark.parametrize("kind", ["closures", "openings"])
@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"start_date": "9999-12-31"}, "start_date"),
        ({"start_date": "0001-01-01"}, "start_date"),
        ({"start_date": "2030-01-01", "end_date": "9999-12-31"}, "end_date"),
    ],
)
def test_closures_and_openings(
    client_for: Any, provider: Any, chair: Any, kind: str, body: dict[str, str], field: str
) -> None:
    response = client_for(provider).post(f"/api/resources/{chair.pk}/{kind}/", body, format="json")
    assert_out_of_range(response, field)
    assert not Closure.objects.exists()
    assert not ExtraOpening.objects.exists()


def test_the_closure_service_refuses_them_too(provider: Any, chair: Any) -> None:
    with pytest.raises(ValidationFailed) as refused:
        resource_closure_add(resource_id=chair.pk, actor=provider, start_date=date(9999, 12, 31))
    assert (refused.value.code, refused.value.field) == ("out_of_range", "start_date")


def test_an_admin_span_at_the_edge_is_a_form_error_not_a_crash(chair: Any) -> None:
    span = Closure(resource=chair, start_date=date(9999, 12, 31), end_date=date(9999, 12, 31))
    with pytest.raises(ValidationError) as refused:
        span.full_clean()
    assert "start_date" in refused.value.message_dict


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"start": "9999-12-31"}, "start"),
        ({"start": "0001-01-01", "tz": "America/New_York"}, "start"),
        ({"start": "2030-01-01", "end": "9999-12-31T23:59:59+00:00"}, "end"),
        ({"start": "0001-01-01T00:00:00-05:00"}, "start"),
    ],
)
def test_availability(api: Any, chair: Any, params: dict[str, str], field: str) -> None:
    assert_out_of_range(api.get(f"/api/resources/{chair.pk}/availability/", params), field)


@pytest.mark.parametrize(
    ("path", "params", "field"),
    [
        ("/api/bookings/", {"from": "9999-12-31T23:59:59-12:00"}, "from"),
        ("/api/bookings/", {"to": "0001-01-01T00:00:00+14:00"}, "to"),
        ("/api/shows/", {"date_from": "9999-12-31"}, "date_from"),
        ("/api/shows/", {"starts_after": "0001-01-01T00:00:00+01:00"}, "starts_after"),
        ("/api/events/", {"date_to": "0001-01-01"}, "date_to"),
    ],
)
def test_list_filters(staff_api: Any, path: str, params: dict[str, str], field: str) -> None:
    assert_out_of_range(staff_api.get(path, params), field)


def test_the_one_range() -> None:
    from datetime import UTC, datetime, timedelta, timezone

    assert ensure_date(date(2200, 12, 31), field="x") == date(2200, 12, 31)
    with pytest.raises(ValidationFailed):
        ensure_date(date(2201, 1, 1), field="x")
    edge = datetime(9999, 12, 31, 23, 0, tzinfo=timezone(-timedelta(hours=5)))
    assert not datetime_in_range(edge)  # would overflow in UTC: refused, not raised
    assert datetime_in_range(datetime(1900, 1, 1, tzinfo=UTC))
