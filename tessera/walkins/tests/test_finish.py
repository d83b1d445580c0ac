"""A served walk-in's service ends: a person with an account gets a completed booking of it, so
their history, analytics and the average service time include walk-ins (time-machine)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from rest_framework.test import APIClient

from tessera.bookings.models import Booking, BookingStatusChange, TimeAllocation
from tessera.notifications.models import OutboxMessage
from tessera.walkins.models import WalkIn

from .conftest import NOW, book, queue_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def served(
    chair: Any, customer_api: APIClient, provider: Any, client_for: Any, frozen: Any
) -> dict:
    """The customer joined at 10:00 and was served at 10:25."""
    mine = customer_api.post(queue_url(chair), {}, format="json").json()
    frozen.move_to(NOW + timedelta(minutes=25))
    # A fresh token: one made before a time travel would have expired.
    response = client_for(provider).post(queue_url(chair, "serve/"), {}, format="json")
    assert response.status_code == 200, response.json()
    return dict(mine)


def finish(client_for: Any, who: Any, walkin: dict) -> Any:
    return client_for(who).post(f"/api/walkins/{walkin['id']}/finish/")


def test_finishing_records_a_completed_booking(
    served: dict, chair: Any, customer: Any, provider: Any, client_for: Any, frozen: Any
) -> None:
    frozen.move_to(NOW + timedelta(minutes=65))
    response = finish(client_for, provider, served)
    body = response.json()
    assert response.status_code == 200, body
    assert body["finished_at"] == "2027-03-01T11:05:00Z"
    booking = Booking.objects.get(pk=body["booking"])
    assert (booking.kind, booking.status, booking.customer_id, booking.created_by_id) == (
        "time",
        "completed",
        customer.pk,
        provider.pk,
    )
    assert (booking.starts_at, booking.ends_at) == (
        NOW + timedelta(minutes=25),
        NOW + timedelta(minutes=65),
    )
    assert booking.created_at == NOW  # asked when they joined: the lead time is the wait
    allocation = TimeAllocation.objects.get(booking=booking)
    assert (allocation.resource_id, allocation.is_live) == (chair.pk, False)
    assert [(h.from_status, h.to_status) for h in BookingStatusChange.objects.all()] == [
        ("", "completed")
    ]
    event = OutboxMessage.objects.get(event_type="booking.completed")
    assert event.payload["reference"] == booking.reference

    # The customer sees it in their history; the average service time learns from it.
    mine = client_for(customer).get("/api/bookings/").json()["results"]
    assert [b["id"] for b in mine] == [booking.pk]
    wait = client_for(provider).get(queue_url(chair, "wait/")).json()
    assert (wait["from_history"], wait["average_service_minutes"]) == (True, 40.0)


def test_analytics_include_walkins(
    served: dict, chair: Any, provider: Any, client_for: Any, frozen: Any
) -> None:
    frozen.move_to(NOW + timedelta(minutes=45))
    finish(client_for, provider, served)
    rates = client_for(provider).get(
        "/api/analytics/rates/", {"start": "2027-03-01", "end": "2027-03-02"}
    )
    assert rates.status_code == 200, rates.json()
    body = rates.json()
    assert body["total"] == 1
    assert body["lead_time_median_minutes"] == 25.0  # joined 10:00, served 10:25


def test_a_walkin_over_a_booking_is_still_recorded(
    served: dict, chair: Any, provider: Any, make_user: Any, client_for: Any, frozen: Any
) -> None:
    # The estimate was rough: a booked customer was due at 10:30 on the one chair.
    book(chair, make_user(), NOW + timedelta(minutes=30), 30, "confirmed")
    frozen.move_to(NOW + timedelta(minutes=50))
    response = finish(client_for, provider, served)
    assert response.status_code == 200
    assert response.json()["booking"] is not None


def test_a_walkin_without_an_account_gets_no_booking(
    barber: APIClient, chair: Any, provider: Any, client_for: Any, frozen: Any
) -> None:
    ana = barber.post(queue_url(chair), {"name": "Ana"}, format="json").json()
    barber.post(queue_url(chair, "serve/"), {}, format="json")
    frozen.move_to(NOW + timedelta(minutes=20))
    body = finish(client_for, provider, ana).json()
    assert (body["booking"], body["finished_at"]) == (None, "2027-03-01T10:20:00Z")
    assert not Booking.objects.exists()


def test_refusals(
    served: dict,
    barber: APIClient,
    chair: Any,
    customer: Any,
    provider: Any,
    client_for: Any,
    frozen: Any,
) -> None:
    response = finish(client_for, provider, served)  # served this very instant
    assert (response.status_code, response.json()["code"]) == (409, "walkin_finish_too_soon")
    frozen.move_to(NOW + timedelta(minutes=40))
    response = finish(client_for, customer, served)
    assert (response.status_code, response.json()["code"]) == (403, "permission_denied")
    waiting = client_for(provider).post(queue_url(chair), {"name": "Rui"}, format="json").json()
    response = finish(client_for, provider, waiting)
    assert (response.status_code, response.json()["code"]) == (409, "walkin_not_served")
    assert finish(client_for, provider, served).status_code == 200
    again = finish(client_for, provider, served)
    assert (again.status_code, again.json()["code"]) == (409, "walkin_already_finished")
    assert Booking.objects.count() == 1
    assert WalkIn.objects.get(pk=waiting["id"]).finished_at is None
