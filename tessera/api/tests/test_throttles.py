"""Anonymous reads are rate-limited per client address (issue 10, defect 7); signed-in callers
and writes are not counted; a cache that cannot be reached lets reads through."""

from __future__ import annotations

from datetime import time
from typing import Any
from unittest import mock

import pytest
from django.core.cache import cache

from tessera.accounts.roles import Role
from tessera.api.throttles import AnonReadThrottle
from tessera.scheduling.tests.factories import make_resource

pytestmark = pytest.mark.django_db


@pytest.fixture
def availability(make_user: Any) -> str:
    chair = make_resource(owner=make_user(Role.PROVIDER), hours=[(0, time(9), time(17))])
    return f"/api/resources/{chair.pk}/availability/"


@pytest.fixture
def two_a_minute(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(AnonReadThrottle, "THROTTLE_RATES", {"anon_read": "2/min"})


@pytest.mark.usefixtures("two_a_minute")
def test_the_third_anonymous_read_in_a_minute_is_a_429(api: Any, availability: str) -> None:
    assert api.get(availability).status_code == 200
    assert api.get("/api/resources/").status_code == 200
    refused = api.get(availability)
    assert refused.status_code == 429
    assert refused.json()["code"] == "throttled"
    assert 0 < int(refused["Retry-After"]) <= 60


@pytest.mark.usefixtures("two_a_minute")
def test_signed_in_readers_and_writes_are_not_counted(
    api: Any, customer_api: Any, availability: str
) -> None:
    for _ in range(5):
        assert customer_api.get(availability).status_code == 200
    for _ in range(3):  # an anonymous write is refused for what it is, not throttled
        assert api.post("/api/bookings/", {}, format="json").status_code == 401
    assert api.get(availability).status_code == 200


@pytest.mark.usefixtures("two_a_minute")
def test_a_cache_that_cannot_be_reached_lets_reads_through(
    api: Any, availability: str, caplog: pytest.LogCaptureFixture
) -> None:
    with mock.patch.object(cache, "get", side_effect=ConnectionError("redis down")):
        for _ in range(4):
            assert api.get(availability).status_code == 200
    assert "cache unreachable" in caplog.text


def test_the_schema_documents_the_429(api: Any) -> None:
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    responses = schema["paths"]["/api/resources/{resource_id}/availability/"]["get"]["responses"]
    assert {"200", "400", "429"} <= set(responses)
