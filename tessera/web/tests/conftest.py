"""Fixtures of the page tests: a frozen clock, a customer's signed-in client, a barber chair."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime, time
from typing import Any

import pytest
import time_machine
from django.test import Client

from tessera.accounts.roles import Role
from tessera.scheduling.tests.factories import make_resource

# Monday 1 March 2027, 08:00 UTC (= 08:00 in Lisbon, winter time).
NOW = datetime(2027, 3, 1, 8, 0, tzinfo=UTC)


@pytest.fixture
def frozen() -> Iterator[Any]:
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def customer(make_user: Callable[..., Any]) -> Any:
    return make_user(Role.CUSTOMER, username="cora", email="cora@example.com")


@pytest.fixture
def signed_in(customer: Any) -> Client:
    client = Client()
    client.force_login(customer)
    return client


@pytest.fixture
def chair(make_user: Callable[..., Any]) -> Any:
    """A barber's chair in Lisbon: weekdays 9:00-13:00, 30-minute cuts, cancel up to 2 h before."""
    return make_resource(
        name="Chair of Bruno",
        kind="provider",
        location="Rua Augusta 120, Lisbon",
        default_duration=30,
        cancellation_deadline=120,
        owner=make_user(Role.PROVIDER, username="bruno", first_name="Bruno"),
        hours=[(d, time(9), time(13)) for d in range(5)],
    )
