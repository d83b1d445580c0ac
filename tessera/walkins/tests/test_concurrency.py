"""Walk-in queues under real parallel clients (PostgreSQL): each client a thread with its own
connection, through the whole API.

- 20 people join one queue at once: 20 distinct positions 1..20, nobody refused;
- one person joins from 10 clients at once: exactly one entry, the rest `walkin_already_in_queue`;
- 10 clients press "serve next" on a queue of 6 at once: each of the 6 served exactly once, the
  other 4 get `walkin_queue_empty`.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest
from rest_framework.test import APIClient
from rest_framework_simplejwt.tokens import AccessToken

from tessera.accounts.roles import Role
from tessera.accounts.tests.factories import UserFactory
from tessera.scheduling.tests.factories import make_resource
from tessera.walkins.models import WalkIn
from tests.races import race

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def client(user: Any) -> APIClient:
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {AccessToken.for_user(user)}")
    return api


def test_twenty_join_at_once_and_get_distinct_positions() -> None:
    chair = make_resource()
    racers = [client(UserFactory(role=Role.CUSTOMER)) for _ in range(20)]
    url = f"/api/resources/{chair.pk}/walkins/"
    results = race(20, lambda i: racers[i].post(url, {}, format="json").status_code)
    assert results == [201] * 20
    positions = sorted(WalkIn.objects.filter(resource=chair).values_list("position", flat=True))
    assert positions == list(range(1, 21))


def test_one_person_joining_from_ten_clients_is_queued_once() -> None:
    chair = make_resource()
    person = UserFactory(role=Role.CUSTOMER)
    racers = [client(person) for _ in range(10)]
    url = f"/api/resources/{chair.pk}/walkins/"

    def join(i: int) -> tuple[int, str]:
        response = racers[i].post(url, {}, format="json")
        return response.status_code, response.json().get("code", "")

    assert Counter(race(10, join)) == {(201, ""): 1, (409, "walkin_already_in_queue"): 9}
    assert WalkIn.objects.filter(resource=chair).count() == 1


def test_ten_servers_at_once_serve_each_walkin_once() -> None:
    owner = UserFactory(role=Role.PROVIDER)
    chair = make_resource(owner=owner)
    for n in range(6):
        WalkIn.objects.create(
            resource=chair, position=n + 1, name=f"P{n}", joined_at="2027-03-01T10:00:00Z"
        )
    racers = [client(owner) for _ in range(10)]
    url = f"/api/resources/{chair.pk}/walkins/serve/"

    def serve(i: int) -> Any:
        response = racers[i].post(url, {}, format="json")
        body = response.json()
        return body.get("id") if response.status_code == 200 else body.get("code")

    results = race(10, serve)
    served = [r for r in results if isinstance(r, int)]
    assert len(served) == 6 and len(set(served)) == 6
    assert results.count("walkin_queue_empty") == 4
    assert not WalkIn.objects.filter(resource=chair, status="waiting").exists()
