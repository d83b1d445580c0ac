"""The schema says what the API answers (issue 10, defect 10): local times are not declared as
`format: time` (an RFC 3339 time with offset), the booking history is declared as the page it
returns, and an account without an address has `email: null`, not `""` against `format: email`."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import time
from typing import Any

import pytest
from drf_spectacular.generators import SchemaGenerator

from tessera.accounts.roles import Role
from tessera.api.fields import LOCAL_TIME_PATTERN
from tessera.scheduling.tests.factories import make_resource

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def schema() -> dict[str, Any]:
    return SchemaGenerator().get_schema(request=None, public=True)


def walk(node: Any, path: str = "") -> Iterator[tuple[str, dict[str, Any]]]:
    if isinstance(node, dict):
        yield path, node
        for key, value in node.items():
            yield from walk(value, f"{path}/{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from walk(value, f"{path}/{index}")


def component(schema: dict[str, Any], ref: str) -> dict[str, Any]:
    return schema["components"]["schemas"][ref.rsplit("/", 1)[-1]]


def test_no_time_of_day_is_declared_with_an_offset_format(schema: dict[str, Any]) -> None:
    offenders = [path for path, node in walk(schema) if node.get("format") == "time"]
    assert offenders == []
    local = [node for _, node in walk(schema) if node.get("pattern") == LOCAL_TIME_PATTERN]
    assert len(local) >= 6  # weekly hours, closures and openings in and out, show times


def test_local_times_answered_match_their_pattern(client_for: Any, make_user: Any) -> None:
    provider = make_user(Role.PROVIDER)
    chair = make_resource(owner=provider, hours=[(0, time(9), time(17, 30))])
    as_owner = client_for(provider)
    hours = as_owner.get(f"/api/resources/{chair.pk}/hours/").json()["hours"]
    closure = as_owner.post(
        f"/api/resources/{chair.pk}/closures/",
        {"start_date": "2030-01-01", "start_time": "18:00", "end_time": "19:15:30"},
        format="json",
    ).json()
    values = [hours[0]["start_time"], hours[0]["end_time"], closure["start_time"]]
    assert values == ["09:00:00", "17:30:00", "18:00:00"]
    assert all(re.match(LOCAL_TIME_PATTERN, v) for v in [*values, closure["end_time"]])


@pytest.mark.parametrize("value", ["18:00+01:00", "18:00:00Z", "25:00", 1800])
def test_a_local_time_with_an_offset_or_not_a_time_is_refused(
    client_for: Any, make_user: Any, value: Any
) -> None:
    provider = make_user(Role.PROVIDER)
    chair = make_resource(owner=provider)
    response = client_for(provider).post(
        f"/api/resources/{chair.pk}/closures/",
        {"start_date": "2030-01-01", "start_time": value},
        format="json",
    )
    assert response.status_code == 400, response.content
    assert response.json()["errors"][0]["field"] == "start_time"


def test_the_booking_history_is_declared_as_a_page(schema: dict[str, Any]) -> None:
    ok = schema["paths"]["/api/users/{user_id}/booking-history/"]["get"]["responses"]["200"]
    page = component(schema, ok["content"]["application/json"]["schema"]["$ref"])
    assert page["type"] == "object"
    assert {"count", "next", "previous", "results"} <= set(page["properties"])
    assert page["properties"]["results"]["type"] == "array"


def test_the_booking_history_answers_a_page(customer_api: Any, customer: Any) -> None:
    body = customer_api.get(f"/api/users/{customer.pk}/booking-history/").json()
    assert body == {"count": 0, "next": None, "previous": None, "results": []}


def test_an_erased_account_has_a_null_email(
    schema: dict[str, Any], staff_api: Any, make_user: Any
) -> None:
    email = component(schema, "UserOutput")["properties"]["email"]
    assert (email["format"], email.get("nullable")) == ("email", True)
    person = make_user(Role.CUSTOMER, email="gone@example.com")
    assert staff_api.get(f"/api/users/{person.pk}/").json()["email"] == "gone@example.com"
    assert staff_api.post(f"/api/users/{person.pk}/erasure/", {}, format="json").status_code == 200
    assert staff_api.get(f"/api/users/{person.pk}/").json()["email"] is None
