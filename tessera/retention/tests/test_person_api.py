"""A person's data: export (themself or staff) and erasure (staff)."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from tessera.accounts.models import User
from tessera.accounts.roles import Role
from tessera.bookings.models import Booking, BookingStatusChange
from tessera.notifications.models import Notification, NotificationPreference
from tessera.notifications.services import booking_event_publish
from tessera.retention.models import ArchivedBooking
from tessera.retention.policy import RetentionPolicy
from tessera.retention.services.apply import retention_apply
from tessera.walkins.models import WalkIn

pytestmark = pytest.mark.django_db


def export_url(user: Any) -> str:
    return f"/api/users/{user.pk}/export/"


def erase_url(user: Any) -> str:
    return f"/api/users/{user.pk}/erasure/"


def test_a_person_exports_their_data(
    customer: Any, customer_api: APIClient, make_booking: Any, resource: Any
) -> None:
    make_booking(10, "completed")
    NotificationPreference.objects.create(
        user=customer, sms_enabled=True, phone_number="+351900000001"
    )
    WalkIn.objects.create(
        resource=resource, position=1, user=customer, joined_at="2027-03-01T08:00Z"
    )

    response = customer_api.get(export_url(customer))

    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    body = response.json()
    assert body["account"]["username"] == customer.username and body["account"]["roles"] == [
        "customer"
    ]
    [booking] = body["bookings"]
    assert booking["notes"] == "allergic" and booking["resources"][0]["name"] == "Chair"
    assert booking["history"][0]["reason"] == "by phone"
    assert body["notification_preferences"]["phone_number"] == "+351900000001"
    assert body["walkins"][0]["resource"] == "Chair"


def test_the_export_includes_archived_bookings(
    customer: Any, customer_api: APIClient, make_booking: Any
) -> None:
    make_booking(800)
    retention_apply(policy=RetentionPolicy(after_days=730, action="archive"))
    body = customer_api.get(export_url(customer)).json()
    assert body["bookings"] == [] and body["archived_bookings"][0]["booking"]["notes"] == "allergic"


def test_export_queries_do_not_grow_with_bookings(
    customer: Any, customer_api: APIClient, make_booking: Any
) -> None:
    counts = []
    for batch in (1, 10):
        for _ in range(batch):
            make_booking(10)
        with CaptureQueriesContext(connection) as ctx:
            assert customer_api.get(export_url(customer)).status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]


def test_staff_export_anyone_others_get_404(
    customer: Any, staff_api: APIClient, client_for: Any, make_user: Any
) -> None:
    assert staff_api.get(export_url(customer)).status_code == 200
    stranger = client_for(make_user(Role.CUSTOMER))
    assert stranger.get(export_url(customer)).status_code == 404
    assert staff_api.get("/api/users/999999/export/").status_code == 404


def test_staff_erase_a_person(
    customer: Any,
    staff: Any,
    staff_api: APIClient,
    make_booking: Any,
    resource: Any,
    make_user: Any,
) -> None:
    done = make_booking(10, "completed")
    archived = make_booking(800, "cancelled")
    retention_apply(policy=RetentionPolicy(after_days=730, action="archive"))
    NotificationPreference.objects.create(user=customer, phone_number="+351900000001")
    Notification.objects.create(
        event_id="00000000-0000-0000-0000-000000000001",
        event_type="booking.created",
        user=customer,
        channel="email",
        language="en",
        recipient=customer.email,
        subject="Your booking",
        body="Hello",
        available_at="2027-03-01T08:00Z",
        created_at="2027-03-01T08:00Z",
    )
    walkin = WalkIn.objects.create(
        resource=resource, position=1, user=customer, phone="+351 9", joined_at="2027-03-01T08:00Z"
    )
    told = booking_event_publish(
        event={
            "type": "booking.cancelled",
            "reference": "K7M2P9QX4T",
            "customer_id": customer.pk,
            "reason": "moving abroad",
            "starts_at": "2027-03-02T10:00:00+00:00",
            "ends_at": "2027-03-02T10:30:00+00:00",
        }
    )
    someone_else = make_booking(10, "completed", who=make_user(Role.CUSTOMER))
    BookingStatusChange.objects.create(
        booking=someone_else, to_status="cancelled", actor=customer, at="2027-03-01T08:00Z"
    )

    response = staff_api.post(erase_url(customer))

    assert response.status_code == 200
    assert response.json() == {
        "id": customer.pk,
        "username": f"erased-{customer.pk}",
        "is_active": False,
    }
    customer.refresh_from_db()
    assert (
        customer.email == "" and not customer.has_usable_password() and not customer.groups.exists()
    )
    booking = Booking.objects.get(pk=done.pk)
    assert booking.customer.username == "anonymous-customer" and booking.notes == ""
    assert booking.status == "completed"  # the statistics stay
    snap = ArchivedBooking.objects.get(booking_id=archived.pk)
    assert snap.customer_id is None and snap.snapshot["booking"]["notes"] == ""
    assert not NotificationPreference.objects.filter(user=customer).exists()
    assert Notification.objects.get().recipient == "" and Notification.objects.get().body == ""
    walkin.refresh_from_db()
    assert walkin.user is None and walkin.phone == "" and walkin.position == 1
    assert not BookingStatusChange.objects.filter(actor=customer).exists()
    told.refresh_from_db()  # the event about them names the placeholder, without the reason
    assert told.payload["customer_id"] == booking.customer_id and told.payload["reason"] is None
    assert Booking.objects.get(pk=someone_else.pk).customer_id != customer.pk  # not theirs: kept

    again = staff_api.post(erase_url(customer))
    assert again.status_code == 409 and again.json()["code"] == "already_erased"


@pytest.mark.parametrize("status", ["pending", "confirmed", "in_progress", "waitlisted"])
def test_erasure_waits_for_live_bookings(
    customer: Any, staff_api: APIClient, make_booking: Any, status: str
) -> None:
    booking = make_booking(-5, status)
    response = staff_api.post(erase_url(customer))
    assert response.status_code == 409 and response.json()["code"] == "erasure_live_bookings"
    customer.refresh_from_db()
    assert customer.is_active and Booking.objects.get(pk=booking.pk).notes == "allergic"


def test_only_staff_erase(customer: Any, customer_api: APIClient) -> None:
    assert customer_api.post(erase_url(customer)).status_code == 403
    assert User.objects.get(pk=customer.pk).is_active


def test_erasing_nobody_is_404(staff_api: APIClient) -> None:
    response = staff_api.post("/api/users/999999/erasure/")
    assert response.status_code == 404 and response.json()["code"] == "user_not_found"
