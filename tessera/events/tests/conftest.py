from __future__ import annotations

from typing import Any

import pytest

from tessera.accounts.roles import Role
from tessera.events.models import Seat, Show

from .factories import ReservedShowFactory, ShowFactory


@pytest.fixture(autouse=True)
def _fresh_seat_map_cache() -> Any:
    """Test databases reuse ids after a rollback; production never serves a rolled-back show."""
    from tessera.events.api.seatmap import clear_cache

    clear_cache()
    yield
    clear_cache()


@pytest.fixture
def organizer(make_user: Any) -> Any:
    return make_user(Role.ORGANIZER)


@pytest.fixture
def organizer_api(client_for: Any, organizer: Any) -> Any:
    return client_for(organizer)


@pytest.fixture
def ga_show(organizer: Any) -> Show:
    """A general-admission show of 10 places at 20.00, owned by `organizer`."""
    return ShowFactory.create(event__owner=organizer, capacity=10)


@pytest.fixture
def seated_show(organizer: Any) -> Show:
    """A reserved-seating show: rows A-C x seats 1-4 at 10.00, owned by `organizer`."""
    return ReservedShowFactory.create(event__owner=organizer)


@pytest.fixture
def seats(seated_show: Show) -> list[Seat]:
    return list(Seat.objects.filter(hall=seated_show.hall).order_by("row_position", "number"))
