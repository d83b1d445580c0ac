"""`/api/notifications/outbox/` (staff) and `/api/notifications/sent/` (yours)."""

from __future__ import annotations

from datetime import timedelta
from uuid import uuid4

import pytest

from tessera.notifications.consumer import event_fan_out
from tessera.notifications.models import OutboxMessage, OutboxStatus
from tessera.notifications.services import booking_event_publish

from .conftest import START, booking_event

pytestmark = pytest.mark.django_db
URL = "/api/notifications/outbox/"


def test_staff_list_and_filter_messages(staff_api, customer):
    booking_event_publish(event=booking_event(customer_id=customer.pk))
    dead = booking_event_publish(event=booking_event("booking.cancelled", customer_id=customer.pk))
    OutboxMessage.objects.filter(pk=dead.pk).update(status=OutboxStatus.DEAD)

    everything = staff_api.get(URL).json()
    only_dead = staff_api.get(URL + "?status=dead").json()

    assert everything["count"] == 2
    assert [m["event_id"] for m in only_dead["results"]] == [str(dead.event_id)]
    assert only_dead["results"][0]["payload"]["reference"] == "K7M2P9QX4T"
    assert staff_api.get(URL + "?status=lost").status_code == 400


def test_staff_retry_a_dead_message_and_get_409_for_a_live_one(staff_api, customer):
    live = booking_event_publish(event=booking_event(customer_id=customer.pk))
    dead = booking_event_publish(event=booking_event("booking.expired", customer_id=customer.pk))
    OutboxMessage.objects.filter(pk=dead.pk).update(status=OutboxStatus.DEAD, attempts=8)

    retried = staff_api.post(f"{URL}{dead.event_id}/retry/")
    refused = staff_api.post(f"{URL}{live.event_id}/retry/")

    assert retried.status_code == 200
    assert (retried.json()["status"], retried.json()["attempts"]) == ("pending", 0)
    assert refused.status_code == 409
    assert refused.json()["code"] == "outbox_not_dead"
    assert OutboxMessage.objects.get(pk=live.pk).status == OutboxStatus.PENDING


@pytest.mark.parametrize("bad", ["nope", "12", str(uuid4())])
def test_unknown_messages_are_404(staff_api, bad):
    assert staff_api.get(f"{URL}{bad}/").status_code == 404
    assert staff_api.post(f"{URL}{bad}/retry/").status_code == 404


def test_customers_may_not_see_the_outbox(customer_api, customer):
    message = booking_event_publish(event=booking_event(customer_id=customer.pk))
    assert customer_api.get(URL).status_code == 403
    assert customer_api.post(f"{URL}{message.event_id}/retry/").status_code == 403


def test_people_see_only_what_they_were_sent(customer_api, customer, make_user, client_for):
    other = make_user()
    now = START - timedelta(days=1)
    event_fan_out(booking_event(customer_id=customer.pk), event_id=uuid4(), now=now)
    event_fan_out(booking_event(customer_id=other.pk), event_id=uuid4(), now=now)

    mine = customer_api.get("/api/notifications/sent/").json()

    assert mine["count"] == 1
    assert mine["results"][0]["recipient"] == customer.email
    assert mine["results"][0]["subject"] == "Booking confirmed: Haircut with Bruno"
    assert customer_api.get("/api/notifications/sent/?channel=sms").json()["count"] == 0
    assert customer_api.get("/api/notifications/sent/?channel=fax").status_code == 400
