"""Fixtures of the walk-in suites: a frozen clock, a barber and their chair."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, time, timedelta
from typing import Any

import pytest
import time_machine
from rest_framework.test import APIClient

from tessera.accounts.roles import Role
from tessera.bookings.tests.factories import make_time_booking
from tessera.scheduling.tests.factories import make_resource

# Monday 1 March 2027, 10:00 UTC (Lisbon is UTC+0 in winter).
NOW = datetime(2027, 3, 1, 10, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def frozen() -> Iterator[Any]:
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def provider(make_user: Any) -> Any:
    return make_user(Role.PROVIDER)


@pytest.fixture
def chair(provider: Any) -> Any:
    hours = [(d, time(9), time(19)) for d in range(7)]
    return make_resource(name="Chair", owner=provider, kind="provider", hours=hours)


@pytest.fixture
def barber(client_for: Any, provider: Any) -> APIClient:
    return client_for(provider)


def queue_url(resource: Any, tail: str = "") -> str:
    return f"/api/resources/{resource.pk}/walkins/{tail}"


def book(resource: Any, customer: Any, start: datetime, minutes: int, status: str) -> None:
    make_time_booking(
        customer=customer,
        resources=[resource],
        start=start,
        end=start + timedelta(minutes=minutes),
        status=status,
    )
