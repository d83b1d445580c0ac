"""Walk-ins are told through the outbox: when they join (place in line, estimated wait) and
when they are called; in their language; only people with an account; nothing for a refusal."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from uuid import uuid4

import pytest
from rest_framework.test import APIClient

from tessera.notifications.consumer import event_fan_out
from tessera.notifications.models import Notification, NotificationPreference, OutboxMessage
from tessera.walkins.models import WalkIn

from .conftest import NOW, book, queue_url

pytestmark = pytest.mark.django_db


def messages(event_type: str) -> list[dict[str, Any]]:
    rows = OutboxMessage.objects.filter(event_type=event_type).order_by("id")
    return [m.payload for m in rows]


def fan_out(message: OutboxMessage) -> None:
    event_fan_out({**message.payload, "type": message.event_type}, event_id=uuid4(), now=NOW)


def test_joining_tells_the_place_and_the_estimated_wait(
    barber: APIClient, chair: Any, customer: Any, customer_api: APIClient
) -> None:
    book(chair, customer, NOW + timedelta(minutes=30), 60, "confirmed")  # 60 min booked ahead
    barber.post(queue_url(chair), {"name": "Ana"}, format="json")  # no account: not told
    joined = customer_api.post(queue_url(chair), {}, format="json").json()

    [payload] = messages("walkin.joined")
    assert payload == {
        "walkin_id": joined["id"],
        "customer_id": customer.pk,
        "resource_id": chair.pk,
        "title": "Chair",
        "timezone": chair.timezone,
        "position": 2,
        "wait_minutes": 80,  # 60 booked + Ana's 20 (no history)
        "estimated_at": (NOW + timedelta(minutes=80)).isoformat(),
    }
    assert joined["estimate"]["wait_minutes"] == 80.0  # the same estimate the API shows

    fan_out(OutboxMessage.objects.get(event_type="walkin.joined"))
    email = Notification.objects.get(channel="email")
    assert email.subject == "You are in the queue: Chair"
    assert "number 2 in line" in email.body
    assert "estimated wait is 80 minutes (about 2027-03-01 11:20 WET)" in email.body


def test_being_called_is_told_in_the_persons_language(
    barber: APIClient, chair: Any, customer: Any, customer_api: APIClient
) -> None:
    NotificationPreference.objects.create(
        user=customer, language="es", sms_enabled=True, phone_number="+34600111222"
    )
    mine = customer_api.post(queue_url(chair), {}, format="json").json()
    barber.post(queue_url(chair, "serve/"), {}, format="json")

    [payload] = messages("walkin.called")
    assert (payload["walkin_id"], payload["customer_id"]) == (mine["id"], customer.pk)
    fan_out(OutboxMessage.objects.get(event_type="walkin.called"))
    email = Notification.objects.get(channel="email")
    sms = Notification.objects.get(channel="sms")
    assert email.subject == "Es tu turno: Chair"
    assert sms.body == "Tessera: es tu turno en Chair; pasa ahora, por favor."


def test_a_muted_event_is_not_sent(customer: Any, customer_api: APIClient, chair: Any) -> None:
    response = customer_api.patch(
        "/api/notifications/preferences/", {"muted_events": ["walkin.joined"]}, format="json"
    )
    assert response.status_code == 200, response.json()
    customer_api.post(queue_url(chair), {}, format="json")
    fan_out(OutboxMessage.objects.get(event_type="walkin.joined"))
    assert not Notification.objects.exists()


def test_leaving_and_refusals_tell_nobody(
    barber: APIClient, chair: Any, customer_api: APIClient
) -> None:
    mine = customer_api.post(queue_url(chair), {}, format="json").json()
    twice = customer_api.post(queue_url(chair), {}, format="json")
    assert twice.json()["code"] == "walkin_already_in_queue"
    customer_api.post(f"/api/walkins/{mine['id']}/leave/")
    empty = barber.post(queue_url(chair, "serve/"), {}, format="json")
    assert empty.json()["code"] == "walkin_queue_empty"
    assert [m.event_type for m in OutboxMessage.objects.all()] == ["walkin.joined"]
    assert WalkIn.objects.get().status == "left"


def test_a_walkin_without_an_account_is_served_silently(barber: APIClient, chair: Any) -> None:
    barber.post(queue_url(chair), {"name": "Ana", "phone": "+351 900"}, format="json")
    served = barber.post(queue_url(chair, "serve/"), {}, format="json")
    assert served.status_code == 200
    assert not OutboxMessage.objects.exists()


def test_a_malformed_walkin_event_is_refused_before_it_is_written() -> None:
    from tessera.notifications.errors import InvalidEvent
    from tessera.notifications.services import walkin_event_publish

    with pytest.raises(InvalidEvent) as raised:
        walkin_event_publish(event={"type": "walkin.joined", "walkin_id": 1, "title": "Chair"})
    assert raised.value.field == "customer_id"
    assert not OutboxMessage.objects.exists()
