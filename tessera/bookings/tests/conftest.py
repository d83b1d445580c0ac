"""Fixtures of the booking suites: a frozen clock, a provider and resources of each shape."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime, time
from typing import Any

import pytest
import time_machine
from rest_framework.test import APIClient

from tessera.accounts.roles import Role
from tessera.scheduling.tests.factories import make_resource

# Monday 1 March 2027, 08:00 UTC (= 08:00 in Lisbon, winter time).
NOW = datetime(2027, 3, 1, 8, 0, tzinfo=UTC)


def at(day: int, hour: int, minute: int = 0, month: int = 3) -> str:
    """An ISO time in March 2027 (UTC), for request bodies."""
    return datetime(2027, month, day, hour, minute, tzinfo=UTC).isoformat()


@pytest.fixture(autouse=True)
def frozen() -> Iterator[Any]:
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def provider(make_user: Callable[..., Any]) -> Any:
    return make_user(Role.PROVIDER)


@pytest.fixture
def provider_api(client_for: Callable[[Any], APIClient], provider: Any) -> APIClient:
    return client_for(provider)


@pytest.fixture
def other_customer(make_user: Callable[..., Any]) -> Any:
    return make_user(Role.CUSTOMER)


@pytest.fixture
def chair(provider: Any) -> Any:
    """A barber's chair: capacity 1, 9-13 and 14-18 Monday to Saturday, 30-minute bookings."""
    hours = [(d, time(9), time(13)) for d in range(6)] + [(d, time(14), time(18)) for d in range(6)]
    return make_resource(
        name="Bruno's chair", kind="provider", owner=provider, default_duration=30, hours=hours
    )


@pytest.fixture
def room(provider: Any) -> Any:
    """A room for four: 8:00-20:00 every day, hour-long bookings."""
    hours = [(d, time(8), time(20)) for d in range(7)]
    return make_resource(name="Room A", capacity=4, owner=provider, hours=hours)
