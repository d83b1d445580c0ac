"""`/api/analytics/…`: figures, scoping per role, window checks and query counts."""

from __future__ import annotations

from collections.abc import Callable
from datetime import time, timedelta
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from tessera.accounts.roles import Role
from tessera.events.tests.factories import ReservedShowFactory, ShowFactory
from tessera.scheduling.tests.factories import ClosureFactory, make_resource

from .conftest import NOW, at

pytestmark = pytest.mark.django_db

TRENDS = "/api/analytics/trends/"
RESOURCES = "/api/analytics/utilisation/resources/"
SHOWS = "/api/analytics/utilisation/shows/"
RATES = "/api/analytics/rates/"
MARCH = {"start": "2027-03-01", "end": "2027-03-07"}


@pytest.fixture
def provider(make_user: Callable[..., Any]) -> Any:
    return make_user(Role.PROVIDER)


@pytest.fixture
def organizer(make_user: Callable[..., Any]) -> Any:
    return make_user(Role.ORGANIZER)


@pytest.fixture
def room(provider: Any) -> Any:
    """Open 9:00-17:00 UTC every day (8 h), capacity 2."""
    hours = [(d, time(9), time(17)) for d in range(7)]
    return make_resource(name="Room", owner=provider, capacity=2, timezone="UTC", hours=hours)


def test_trends_count_by_day_and_status(
    client_for: Any, provider: Any, room: Any, book_time: Any
) -> None:
    book_time(room, at(3, 10), created=at(1, 9))
    book_time(room, at(3, 12), status="cancelled", created=at(1, 23, 30))
    book_time(room, at(4, 10), created=at(2, 10))
    book_time(room, at(4, 12), created=at(9, 10))  # made outside the window

    body = client_for(provider).get(TRENDS, MARCH).json()

    assert [p["period"] for p in body["points"]][:3] == ["2027-03-01", "2027-03-02", "2027-03-03"]
    assert len(body["points"]) == 7
    first, second = body["points"][0], body["points"][1]
    assert first["counts"]["confirmed"] == 1 and first["counts"]["cancelled"] == 1
    assert first["total"] == 2 and second["total"] == 1
    assert sum(p["total"] for p in body["points"]) == 3


def test_trends_follow_the_time_zone(
    client_for: Any, provider: Any, room: Any, book_time: Any
) -> None:
    # 23:30 UTC on the 1st is 08:30 on the 2nd in Tokyo (UTC+9).
    book_time(room, at(3, 10), created=at(1, 23, 30))
    body = client_for(provider).get(TRENDS, {**MARCH, "tz": "Asia/Tokyo"}).json()
    totals = {p["period"]: p["total"] for p in body["points"]}
    assert totals["2027-03-01"] == 0 and totals["2027-03-02"] == 1
    assert body["window"]["timezone"] == "Asia/Tokyo"


def test_trends_by_week_and_by_start(
    client_for: Any, provider: Any, room: Any, book_time: Any
) -> None:
    book_time(room, at(3, 10), created=at(1, 9))
    book_time(room, at(10, 10), created=at(1, 9))
    body = (
        client_for(provider)
        .get(
            TRENDS, {"start": "2027-03-01", "end": "2027-03-14", "period": "week", "basis": "start"}
        )
        .json()
    )
    assert [(p["period"], p["total"]) for p in body["points"]] == [
        ("2027-03-01", 1),
        ("2027-03-08", 1),
    ]


def test_resource_utilisation_is_booked_over_open_time_times_capacity(
    client_for: Any, provider: Any, room: Any, book_time: Any
) -> None:
    # One day (8 open hours x capacity 2 = 16 h): 4 h booked -> 0.25.
    book_time(room, at(2, 9), minutes=120)
    book_time(room, at(2, 9), minutes=60)
    book_time(room, at(2, 14), minutes=60, status="completed")
    book_time(room, at(2, 15), minutes=60, status="cancelled")  # frees the time: not counted
    body = client_for(provider).get(RESOURCES, {"start": "2027-03-02", "end": "2027-03-02"}).json()
    [row] = body["resources"]
    assert row["open_minutes"] == 8 * 60
    assert row["booked_minutes"] == 4 * 60
    assert row["bookings"] == 3
    assert row["utilisation"] == 0.25


def test_resource_utilisation_clips_to_the_window_and_subtracts_closures(
    client_for: Any, provider: Any, room: Any, book_time: Any
) -> None:
    ClosureFactory(
        resource=room, start_date=NOW.date().replace(day=3), end_date=NOW.date().replace(day=3)
    )
    book_time(room, at(1, 23), minutes=120)  # one hour of it falls on the 2nd
    body = client_for(provider).get(RESOURCES, {"start": "2027-03-02", "end": "2027-03-03"}).json()
    [row] = body["resources"]
    assert row["open_minutes"] == 8 * 60  # the 3rd is closed
    assert row["booked_minutes"] == 60


def test_a_resource_never_open_has_no_ratio(client_for: Any, provider: Any) -> None:
    make_resource(name="Shed", owner=provider, timezone="UTC", hours=[])
    [row] = client_for(provider).get(RESOURCES, MARCH).json()["resources"]
    assert row["open_minutes"] == 0 and row["utilisation"] is None


def test_show_utilisation_counts_sold_places(
    client_for: Any, organizer: Any, book_show: Any
) -> None:
    general: Any = ShowFactory(event__owner=organizer, starts_at=at(5, 20), capacity=10)
    reserved: Any = ReservedShowFactory(event__owner=organizer, starts_at=at(6, 20))  # 12 seats
    book_show(general, 3)
    book_show(general, 2, status="pending")
    book_show(general, 4, status="cancelled")
    book_show(reserved, 6, status="completed")
    body = client_for(organizer).get(SHOWS, MARCH).json()
    rows = {s["show_id"]: s for s in body["shows"]}
    assert rows[general.pk]["sold"] == 3 and rows[general.pk]["pending"] == 2
    assert rows[general.pk]["utilisation"] == 0.3
    assert rows[reserved.pk]["capacity"] == 12 and rows[reserved.pk]["utilisation"] == 0.5


def test_rates_and_lead_time(client_for: Any, provider: Any, room: Any, book_time: Any) -> None:
    # Lead times 1 h, 2 h, ... 10 h: median (nearest rank) 5 h, p90 9 h.
    for hours in range(1, 11):
        status = "cancelled" if hours <= 2 else "completed"
        start = at(3, 9) + timedelta(hours=hours % 8)
        book_time(room, start, status=status, created=start - timedelta(hours=hours))
    book_time(room, at(4, 9), status="no_show", created=at(4, 9) - timedelta(days=30))
    body = client_for(provider).get(RATES, MARCH).json()
    assert body["total"] == 11
    assert body["cancellation_rate"] == round(2 / 11, 4)
    assert body["no_show_rate"] == round(1 / 9, 4)
    assert body["lead_time_median_minutes"] == 6 * 60
    assert body["lead_time_p90_minutes"] == 10 * 60


def test_rates_of_nothing_are_null(client_for: Any, provider: Any) -> None:
    body = client_for(provider).get(RATES, MARCH).json()
    assert body["total"] == 0
    assert body["cancellation_rate"] is None and body["lead_time_median_minutes"] is None


def test_each_owner_counts_only_their_own(
    client_for: Any,
    make_user: Any,
    provider: Any,
    organizer: Any,
    room: Any,
    book_time: Any,
    book_show: Any,
) -> None:
    other_room = make_resource(owner=make_user(Role.PROVIDER), timezone="UTC")
    book_time(room, at(3, 10))
    book_time(other_room, at(3, 10))
    book_show(ShowFactory(event__owner=organizer, starts_at=at(5, 20)), 2)

    mine = client_for(provider).get(RATES, MARCH).json()
    assert mine["total"] == 1
    assert [
        r["resource_id"] for r in client_for(provider).get(RESOURCES, MARCH).json()["resources"]
    ] == [room.pk]
    assert client_for(provider).get(SHOWS, MARCH).json()["shows"] == []
    assert client_for(organizer).get(RATES, MARCH).json()["total"] == 1
    assert client_for(organizer).get(RESOURCES, MARCH).json()["resources"] == []


def test_a_gig_on_two_of_my_resources_counts_once(
    client_for: Any, provider: Any, room: Any, book_time: Any
) -> None:
    stage = make_resource(owner=provider, timezone="UTC")
    book_time(room, at(3, 10), extra=[stage])
    assert client_for(provider).get(RATES, MARCH).json()["total"] == 1


def test_staff_see_everything(
    staff_api: APIClient, room: Any, book_time: Any, make_user: Any
) -> None:
    book_time(room, at(3, 10))
    book_time(make_resource(owner=make_user(Role.PROVIDER), timezone="UTC"), at(3, 10))
    assert staff_api.get(RATES, MARCH).json()["total"] == 2


@pytest.mark.parametrize("url", [TRENDS, RESOURCES, SHOWS, RATES])
def test_a_customer_is_refused(customer_api: APIClient, url: str) -> None:
    response = customer_api.get(url, MARCH)
    assert response.status_code == 403
    assert response.json()["code"] == "analytics_forbidden"


@pytest.mark.parametrize("url", [TRENDS, RATES])
def test_anonymous_is_refused(api: APIClient, url: str) -> None:
    assert api.get(url).status_code == 401


@pytest.mark.parametrize(
    ("params", "code"),
    [
        ({"start": "2027-03-05", "end": "2027-03-01"}, "end_before_start"),
        ({"start": "2026-01-01", "end": "2027-03-01"}, "window_too_long"),
        ({"tz": "Mars/Olympus"}, "invalid_timezone"),
        ({"start": "yesterday"}, "invalid"),
        ({"period": "month"}, "invalid_choice"),
    ],
)
def test_bad_windows_are_400(
    client_for: Any, provider: Any, params: dict[str, str], code: str
) -> None:
    response = client_for(provider).get(TRENDS, params)
    assert response.status_code == 400
    assert code in str(response.json())


def test_default_window_is_the_last_30_days(client_for: Any, provider: Any) -> None:
    body = client_for(provider).get(TRENDS).json()
    assert body["window"] == {"start": "2027-01-31", "end": "2027-03-01", "timezone": "UTC"}
    assert len(body["points"]) == 30


@pytest.mark.parametrize(("url", "queries"), [(TRENDS, 3), (RESOURCES, 5), (RATES, 5)])
def test_query_count_does_not_grow_with_bookings(
    client_for: Any, provider: Any, room: Any, book_time: Any, url: str, queries: int
) -> None:
    """auth user + groups + the figures' own queries, the same for 3 bookings or 30."""
    client = client_for(provider)
    counts = []
    for batch in (3, 27):
        for i in range(batch):
            book_time(room, at(2 + i % 5, 9 + i % 8), created=at(1, 9))
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url, MARCH).status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts == [queries, queries]


def test_show_query_count_does_not_grow_with_shows_or_bookings(
    client_for: Any, organizer: Any, book_show: Any
) -> None:
    client = client_for(organizer)
    counts = []
    for batch in (2, 12):
        for i in range(batch):
            show = ShowFactory(event__owner=organizer, starts_at=at(2 + i % 5, 10 + i))
            book_show(show, 2)
        with CaptureQueriesContext(connection) as ctx:
            assert len(client.get(SHOWS, MARCH).json()["shows"]) in (2, 14)
        counts.append(len(ctx.captured_queries))
    assert counts == [3, 3]
