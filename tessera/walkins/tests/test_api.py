"""Walk-in queues through the API: join, serve, leave, the wait estimate (time-machine)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from rest_framework.test import APIClient

from tessera.accounts.roles import Role
from tessera.scheduling.tests.factories import make_resource
from tessera.walkins.models import WalkIn

from .conftest import NOW, book, queue_url

pytestmark = pytest.mark.django_db


def test_walkins_queue_in_order_of_arrival(
    barber: APIClient, chair: Any, customer_api: APIClient
) -> None:
    first = barber.post(queue_url(chair), {"name": "Ana", "phone": "+351 900"}, format="json")
    second = customer_api.post(queue_url(chair), {}, format="json")
    third = barber.post(queue_url(chair), {"name": "Rui"}, format="json")
    assert [r.status_code for r in (first, second, third)] == [201, 201, 201]
    assert [r.json()["position"] for r in (first, second, third)] == [1, 2, 3]
    body = barber.get(queue_url(chair)).json()
    assert [w["name"] for w in body["waiting"]] == ["Ana", second.json()["name"], "Rui"]
    assert body["estimate"]["ahead"] == 3


def test_the_wait_comes_from_bookings_ahead_queue_and_history(
    barber: APIClient, chair: Any, customer: Any, frozen: Any, client_for: Any, provider: Any
) -> None:
    # History: completed bookings of 30 and 50 minutes -> 40 minutes on average.
    book(chair, customer, NOW - timedelta(days=2), 30, "completed")
    book(chair, customer, NOW - timedelta(days=1), 50, "completed")
    book(chair, customer, NOW - timedelta(days=1, hours=3), 300, "cancelled")  # not history
    # Today: 10:30-11:30 booked (60 min ahead); a booking tomorrow is not "ahead today".
    book(chair, customer, NOW + timedelta(minutes=30), 60, "confirmed")
    book(chair, customer, NOW + timedelta(days=1), 60, "confirmed")
    barber.post(queue_url(chair), {"name": "Ana"}, format="json")
    joined = barber.post(queue_url(chair), {"name": "Rui"}, format="json").json()

    estimate = joined["estimate"]
    assert estimate == {
        "ahead": 1,
        "booked_ahead_minutes": 60.0,
        "average_service_minutes": 40.0,
        "from_history": True,
        "wait_minutes": 100.0,
    }
    # 75 minutes later a quarter of an hour of the booking is left, and Ana was served.
    frozen.move_to(NOW + timedelta(minutes=75))
    barber = client_for(provider)  # a fresh token: the first one expired meanwhile
    barber.post(queue_url(chair, "serve/"), {}, format="json")
    later = barber.get(f"/api/walkins/{joined['id']}/").json()["estimate"]
    assert later["ahead"] == 0 and later["booked_ahead_minutes"] == 15.0
    assert later["wait_minutes"] == 15.0


def test_without_history_the_default_service_time_is_used(
    barber: APIClient, chair: Any, settings: Any
) -> None:
    settings.TESSERA_WALKINS = {"DEFAULT_SERVICE_MINUTES": 25}
    barber.post(queue_url(chair), {"name": "Ana"}, format="json")
    wait = barber.get(queue_url(chair, "wait/")).json()
    assert wait["from_history"] is False
    assert wait["average_service_minutes"] == 25.0 and wait["wait_minutes"] == 25.0


def test_capacity_divides_the_wait(client_for: Any, provider: Any) -> None:
    desk = make_resource(owner=provider, capacity=2)
    client = client_for(provider)
    for name in ("A", "B", "C", "D"):
        client.post(queue_url(desk), {"name": name}, format="json")
    assert client.get(queue_url(desk, "wait/")).json()["wait_minutes"] == 40.0  # 4 x 20 / 2


def test_serve_takes_the_next_then_a_given_one(barber: APIClient, chair: Any) -> None:
    ids = [barber.post(queue_url(chair), {"name": n}, format="json").json()["id"] for n in "ABC"]
    served = barber.post(queue_url(chair, "serve/"), {}, format="json").json()
    assert served["id"] == ids[0] and served["status"] == "served"
    chosen = barber.post(queue_url(chair, "serve/"), {"walkin": ids[2]}, format="json").json()
    assert chosen["id"] == ids[2] and chosen["served_at"] == NOW.isoformat().replace("+00:00", "Z")
    again = barber.post(queue_url(chair, "serve/"), {"walkin": ids[2]}, format="json")
    assert again.status_code == 409 and again.json()["code"] == "walkin_not_waiting"
    assert [w["id"] for w in barber.get(queue_url(chair)).json()["waiting"]] == [ids[1]]


def test_serving_an_empty_queue_is_409(barber: APIClient, chair: Any) -> None:
    response = barber.post(queue_url(chair, "serve/"), {}, format="json")
    assert response.status_code == 409 and response.json()["code"] == "walkin_queue_empty"


def test_serving_a_walkin_of_another_queue_is_404(
    barber: APIClient, chair: Any, provider: Any
) -> None:
    other = make_resource(owner=provider)
    walkin = barber.post(queue_url(other), {"name": "X"}, format="json").json()
    response = barber.post(queue_url(chair, "serve/"), {"walkin": walkin["id"]}, format="json")
    assert response.status_code == 404 and response.json()["code"] == "walkin_not_found"
    assert WalkIn.objects.get(pk=walkin["id"]).status == "waiting"


def test_only_the_owner_serves_or_sees_the_queue(customer_api: APIClient, chair: Any) -> None:
    customer_api.post(queue_url(chair), {}, format="json")
    assert customer_api.post(queue_url(chair, "serve/"), {}, format="json").status_code == 403
    assert customer_api.get(queue_url(chair)).status_code == 403
    assert WalkIn.objects.get().status == "waiting"


def test_a_customer_leaves_and_may_join_again(customer_api: APIClient, chair: Any) -> None:
    mine = customer_api.post(queue_url(chair), {}, format="json").json()
    twice = customer_api.post(queue_url(chair), {}, format="json")
    assert twice.status_code == 409 and twice.json()["code"] == "walkin_already_in_queue"
    left = customer_api.post(f"/api/walkins/{mine['id']}/leave/")
    assert left.status_code == 200 and left.json()["status"] == "left"
    again = customer_api.post(f"/api/walkins/{mine['id']}/leave/")
    assert again.status_code == 409 and again.json()["code"] == "walkin_not_waiting"
    rejoined = customer_api.post(queue_url(chair), {}, format="json").json()
    assert rejoined["position"] == 2  # positions are never reused
    assert WalkIn.objects.count() == 2  # leaving keeps the record


def test_someone_else_cannot_see_or_leave_my_place(
    customer_api: APIClient, client_for: Any, make_user: Any, chair: Any
) -> None:
    mine = customer_api.post(queue_url(chair), {}, format="json").json()
    stranger = client_for(make_user(Role.CUSTOMER))
    assert stranger.get(f"/api/walkins/{mine['id']}/").status_code == 404
    assert stranger.post(f"/api/walkins/{mine['id']}/leave/").status_code == 404
    assert customer_api.get(f"/api/walkins/{mine['id']}/").json()["estimate"]["ahead"] == 0


def test_a_customer_cannot_queue_someone_else(
    customer_api: APIClient, chair: Any, make_user: Any
) -> None:
    other = make_user(Role.CUSTOMER)
    response = customer_api.post(queue_url(chair), {"user": other.pk}, format="json")
    assert response.status_code == 403
    assert not WalkIn.objects.exists()


def test_the_owner_queues_a_user_by_id(barber: APIClient, chair: Any, customer: Any) -> None:
    body = barber.post(queue_url(chair), {"user": customer.pk}, format="json").json()
    assert body["user"] == customer.pk and body["name"] == customer.username


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ({}, 400, "walkin_identity_required"),
        ({"name": "   "}, 400, "walkin_identity_required"),
        ({"name": "x" * 121}, 400, "max_length"),
        ({"user": 2**62}, 404, "user_not_found"),
        ({"user": "abc"}, 400, "invalid"),
    ],
)
def test_bad_joins(
    barber: APIClient, chair: Any, body: dict[str, Any], status: int, code: str
) -> None:
    response = barber.post(queue_url(chair), body, format="json")
    assert response.status_code == status
    assert code in str(response.json())
    assert not WalkIn.objects.exists()


def test_an_inactive_resource_takes_no_walkins(barber: APIClient, chair: Any) -> None:
    chair.is_active = False
    chair.save()
    response = barber.post(queue_url(chair), {"name": "A"}, format="json")
    assert response.status_code == 409 and response.json()["code"] == "walkin_queue_closed"


def test_unknown_resource_or_walkin_is_404(barber: APIClient) -> None:
    assert barber.get("/api/resources/999999/walkins/wait/").status_code == 404
    assert barber.get("/api/walkins/999999/").status_code == 404


def test_anonymous_is_refused(api: APIClient, chair: Any) -> None:
    assert api.post(queue_url(chair), {"name": "A"}, format="json").status_code == 401
