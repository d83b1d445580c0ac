"""Every booking change writes exactly one domain event in its transaction; a refusal none."""

from datetime import timedelta

import pytest

from tessera.bookings.models import Booking
from tessera.bookings.services.status import booking_expire_overdue, booking_mark_no_show
from tessera.notifications.models import OutboxMessage

from .conftest import NOW, at

pytestmark = pytest.mark.django_db
URL = "/api/bookings/"


def events() -> list[str]:
    return list(
        OutboxMessage.objects.order_by("created_at", "id").values_list("event_type", flat=True)
    )


@pytest.fixture
def booked(customer_api, chair) -> dict:
    response = customer_api.post(URL, {"resource": chair.pk, "start_time": at(2, 10)})
    assert response.status_code == 201
    return response.json()


def test_a_confirmed_booking_publishes_one_event_with_what_people_need(
    booked, customer, provider, chair
):
    message = OutboxMessage.objects.get()
    assert message.event_type == "booking.confirmed"
    assert message.aggregate_id == booked["reference"]
    payload = message.payload
    assert payload["reference"] == booked["reference"]
    assert payload["customer_id"] == customer.pk
    assert payload["notify_user_ids"] == [provider.pk]
    assert payload["title"] == "Bruno's chair"
    assert payload["timezone"] == chair.timezone
    assert payload["starts_at"] == at(2, 10)
    assert payload["status"] == "confirmed"


def test_a_refused_booking_publishes_nothing(customer_api, chair, booked):
    before = OutboxMessage.objects.count()
    response = customer_api.post(URL, {"resource": chair.pk, "start_time": at(2, 10)})
    assert response.status_code == 409
    assert OutboxMessage.objects.count() == before == 1


def test_a_pending_request_is_created_then_confirmed(customer_api, provider_api, chair):
    chair.approval_required = True
    chair.save()
    body = customer_api.post(URL, {"resource": chair.pk, "start_time": at(2, 10)}).json()
    assert events() == ["booking.created"]
    assert OutboxMessage.objects.get().payload["confirm_deadline"] == at(2, 10)
    provider_api.post(f"{URL}{body['id']}/confirm/")
    assert events() == ["booking.created", "booking.confirmed"]
    assert "confirm_deadline" not in OutboxMessage.objects.latest("id").payload


def test_decline_cancel_no_show_each_publish_one(customer_api, provider_api, provider, chair):
    chair.approval_required = True
    chair.save()
    first = customer_api.post(URL, {"resource": chair.pk, "start_time": at(2, 10)}).json()
    provider_api.post(f"{URL}{first['id']}/decline/", {"reason": "Away"})
    assert events()[-1] == "booking.declined"
    assert OutboxMessage.objects.latest("id").payload["reason"] == "Away"

    chair.approval_required = False
    chair.save()
    second = customer_api.post(URL, {"resource": chair.pk, "start_time": at(2, 11)}).json()
    customer_api.post(f"{URL}{second['id']}/cancel/", {"reason": "Ill"})
    third = customer_api.post(URL, {"resource": chair.pk, "start_time": at(2, 12)}).json()
    booking_mark_no_show(booking_id=third["id"], actor=provider, now=NOW + timedelta(days=2))
    assert events() == [
        "booking.created",
        "booking.declined",
        "booking.confirmed",
        "booking.cancelled",
        "booking.confirmed",
        "booking.no_show",
    ]


def test_a_refused_cancel_publishes_nothing(customer_api, booked):
    customer_api.post(f"{URL}{booked['id']}/cancel/")
    assert customer_api.post(f"{URL}{booked['id']}/cancel/").status_code == 409
    assert events() == ["booking.confirmed", "booking.cancelled"]


def test_a_reschedule_is_a_change_with_a_rising_sequence(customer_api, booked):
    customer_api.patch(f"{URL}{booked['id']}/", {"start_time": at(2, 11)})
    customer_api.patch(f"{URL}{booked['id']}/", {"start_time": at(2, 12)})
    changes = OutboxMessage.objects.filter(event_type="booking.changed").order_by("id")
    assert [m.payload["sequence"] for m in changes] == [1, 2]
    assert changes[0].payload["starts_at"] == at(2, 11)
    assert changes[0].payload["previous"] == f"{at(2, 10)}/{at(2, 10, 30)}"


def test_a_refused_reschedule_publishes_nothing(customer_api, chair, booked, make_user, client_for):
    other = client_for(make_user())
    assert other.post(URL, {"resource": chair.pk, "start_time": at(2, 11)}).status_code == 201
    before = OutboxMessage.objects.count()
    assert customer_api.patch(f"{URL}{booked['id']}/", {"start_time": at(2, 11)}).status_code == 409
    assert OutboxMessage.objects.count() == before


def test_expiry_publishes_once(customer_api, chair, frozen):
    chair.approval_required = True
    chair.save()
    customer_api.post(URL, {"resource": chair.pk, "start_time": at(2, 10)})
    frozen.move_to(NOW + timedelta(days=3))
    assert booking_expire_overdue() == 1
    assert booking_expire_overdue() == 0
    assert events() == ["booking.created", "booking.expired"]
    assert Booking.objects.get().status == "expired"
