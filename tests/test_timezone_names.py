"""One rule for time-zone names everywhere (issue 10, defect 6): IANA names only; `localtime`,
`posixrules`, `Factory` and file paths are refused the same way by resources, venues, `?tz=`
and event payloads; legacy IANA aliases are accepted as given."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError

from tessera.accounts.roles import Role
from tessera.core.timezones import iana_zones, is_iana_zone
from tessera.notifications.errors import InvalidEvent
from tessera.notifications.events import booking_event_clean
from tessera.scheduling.models import Resource
from tessera.scheduling.models.resources import validate_timezone
from tessera.scheduling.tests.factories import make_resource

pytestmark = pytest.mark.django_db

NOT_ZONES = [
    "localtime",
    "posixrules",
    "Factory",
    "posix/Europe/Berlin",
    "right/UTC",
    "/etc/localtime",
    "../zoneinfo/UTC",
    "Europe/../UTC",
    "europe/lisbon",
]
ZONES = ["Europe/Lisbon", "America/Argentina/Buenos_Aires", "UTC", "US/Eastern", "Etc/GMT+5"]


def assert_invalid_timezone(response: Any, field: str) -> None:
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["code"] == "invalid_timezone"
    assert body["errors"][0]["field"] == field


@pytest.fixture
def provider(make_user: Any) -> Any:
    return make_user(Role.PROVIDER)


@pytest.fixture
def organizer(make_user: Any) -> Any:
    return make_user(Role.ORGANIZER)


@pytest.mark.parametrize("name", NOT_ZONES)
def test_not_a_zone_anywhere(
    name: str, client_for: Any, provider: Any, organizer: Any, staff_api: Any
) -> None:
    as_provider = client_for(provider)
    created = as_provider.post(
        "/api/resources/", {"name": "Chair", "kind": "provider", "timezone": name}, format="json"
    )
    assert_invalid_timezone(created, "timezone")
    assert not Resource.objects.exists()
    chair = make_resource(owner=provider)
    changed = as_provider.patch(f"/api/resources/{chair.pk}/", {"timezone": name}, format="json")
    assert_invalid_timezone(changed, "timezone")
    venue = client_for(organizer).post(
        "/api/venues/", {"name": "Hall", "capacity": 10, "timezone": name}, format="json"
    )
    assert_invalid_timezone(venue, "timezone")
    assert_invalid_timezone(staff_api.get("/api/bookings/", {"tz": name}), "tz")
    assert_invalid_timezone(as_provider.get("/api/analytics/trends/", {"tz": name}), "tz")
    assert_invalid_timezone(
        as_provider.get(f"/api/resources/{chair.pk}/availability/", {"tz": name}), "tz"
    )
    with pytest.raises(ValidationError):
        validate_timezone(name)  # the admin's form and model validation


@pytest.mark.parametrize("name", ZONES)
def test_iana_names_and_their_legacy_aliases(
    name: str, client_for: Any, provider: Any, organizer: Any, staff_api: Any
) -> None:
    created = client_for(provider).post(
        "/api/resources/", {"name": "Chair", "kind": "provider", "timezone": name}, format="json"
    )
    assert created.status_code == 201, created.content
    assert created.json()["timezone"] == name
    venue = client_for(organizer).post(
        "/api/venues/", {"name": "Hall", "capacity": 10, "timezone": name}, format="json"
    )
    assert venue.status_code == 201, venue.content
    assert staff_api.get("/api/bookings/", {"tz": name}).status_code == 200


def test_event_payloads_follow_the_same_rule() -> None:
    event = {
        "type": "booking.created",
        "booking_id": 1,
        "reference": "TSR-1",
        "kind": "time",
        "status": "confirmed",
        "customer_id": 1,
        "starts_at": "2027-03-02T10:00:00+00:00",
        "ends_at": "2027-03-02T11:00:00+00:00",
        "timezone": "Europe/Lisbon",
    }
    assert booking_event_clean(event)["timezone"] == "Europe/Lisbon"
    with pytest.raises(InvalidEvent) as refused:
        booking_event_clean({**event, "timezone": "localtime"})
    assert refused.value.field == "timezone"


def test_the_list_has_the_world_and_not_the_files() -> None:
    zones = iana_zones()
    assert {"Europe/Lisbon", "Asia/Tokyo", "UTC"} <= zones
    assert not zones & {"localtime", "posixrules", "Factory"}
    assert not any(z.startswith(("posix/", "right/")) for z in zones)
    assert not is_iana_zone(None)
