"""Webhook deliveries against a fake receiver on 127.0.0.1: signed, retried, logged, replayed."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from tessera.notifications.models import (
    DeliveryStatus,
    WebhookAttempt,
    WebhookDelivery,
    WebhookSubscription,
)
from tessera.notifications.services import (
    booking_event_publish,
    outbox_deliver,
    webhooks_send_due,
)
from tessera.notifications.signing import webhook_signature_verify

from .conftest import START, booking_event

pytestmark = pytest.mark.django_db
NOW = START - timedelta(days=1)
SECRET = "whsec_receiver-secret-0123456789"


def subscribe(url, event_types=("booking.*",), **kw):
    return WebhookSubscription.objects.create(
        name="analytics", url=url, secret=SECRET, event_types=list(event_types), **kw
    )


def fan_out_event(customer, event_type="booking.confirmed"):
    message = booking_event_publish(
        event=booking_event(event_type, customer_id=customer.pk), now=NOW
    )
    outbox_deliver(event_id=message.event_id, now=NOW)
    return message


def test_a_delivery_is_signed_and_carries_the_event_id(customer, fake_server):
    subscription = subscribe(fake_server.url + "/hooks")
    message = fan_out_event(customer)

    result = webhooks_send_due(now=NOW)

    assert (result.sent, result.retrying, result.dead) == (1, 0, 0)
    [request] = fake_server.requests
    headers = request["headers"]
    assert request["path"] == "/hooks"
    assert headers["Tessera-Event-Id"] == str(message.event_id)
    assert headers["Tessera-Event-Type"] == "booking.confirmed"
    assert headers["Tessera-Timestamp"] == str(int(NOW.timestamp()))
    webhook_signature_verify(
        secret=SECRET,
        body=request["body"],
        timestamp=headers["Tessera-Timestamp"],
        signature=headers["Tessera-Signature"],
        now=NOW,
    )
    body = json.loads(request["body"])
    assert body["id"] == str(message.event_id)
    assert body["type"] == "booking.confirmed"
    assert body["data"]["reference"] == "K7M2P9QX4T"
    delivery = WebhookDelivery.objects.get(subscription=subscription)
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == (
        DeliveryStatus.SENT,
        1,
        200,
    )
    assert [(a.status_code, a.error) for a in delivery.log.all()] == [(200, "")]


def test_only_matching_active_subscriptions_get_the_event(customer, fake_server):
    exact = subscribe(fake_server.url, ["booking.cancelled"])
    everything = subscribe(fake_server.url, ["*"])
    subscribe(fake_server.url, ["booking.*"], is_active=False)

    fan_out_event(customer, "booking.confirmed")

    assert list(WebhookDelivery.objects.values_list("subscription", flat=True)) == [everything.pk]
    assert not exact.deliveries.exists()


def test_a_failing_receiver_is_retried_with_backoff_and_logged(customer, fake_server, settings):
    settings.NOTIFICATIONS = {
        **settings.NOTIFICATIONS,
        "MAX_ATTEMPTS": 3,
        "BACKOFF_BASE_SECONDS": 60,
    }
    subscribe(fake_server.url)
    fake_server.statuses = [503, 500, 200]
    fan_out_event(customer)

    first = webhooks_send_due(now=NOW)
    delivery = WebhookDelivery.objects.get()
    assert (first.retrying, delivery.status, delivery.available_at) == (
        1,
        DeliveryStatus.PENDING,
        NOW + timedelta(seconds=60),
    )
    assert webhooks_send_due(now=NOW + timedelta(seconds=59)).ids == []  # not due yet

    webhooks_send_due(now=NOW + timedelta(seconds=60))
    delivery.refresh_from_db()
    assert delivery.available_at == NOW + timedelta(seconds=60 + 120)

    webhooks_send_due(now=NOW + timedelta(seconds=180))
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.SENT, 3)
    assert [a.status_code for a in delivery.log.all()] == [503, 500, 200]
    assert len(fake_server.requests) == 3
    # Every attempt had the same event id and body, and its own valid signature.
    assert len({r["body"] for r in fake_server.requests}) == 1


def test_a_receiver_that_never_answers_well_ends_dead(customer, fake_server, settings):
    settings.NOTIFICATIONS = {**settings.NOTIFICATIONS, "MAX_ATTEMPTS": 2}
    subscribe(fake_server.url)
    fake_server.statuses = [500]
    fan_out_event(customer)

    webhooks_send_due(now=NOW)
    result = webhooks_send_due(now=NOW + timedelta(days=1))

    delivery = WebhookDelivery.objects.get()
    assert (result.dead, delivery.status, delivery.attempts) == (1, DeliveryStatus.DEAD, 2)
    assert "500" in delivery.last_error
    assert webhooks_send_due(now=NOW + timedelta(days=30)).ids == []


def test_an_unreachable_receiver_is_logged_without_a_status(customer, settings):
    import socket

    with socket.socket() as sock:  # a port that was free a moment ago: nothing listens there
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    subscribe(f"http://127.0.0.1:{port}/")
    fan_out_event(customer)

    result = webhooks_send_due(now=NOW)

    attempt = WebhookAttempt.objects.get()
    assert result.retrying == 1
    assert attempt.status_code is None
    assert attempt.error.startswith("no answer")


def test_sending_twice_in_a_row_sends_once(customer, fake_server):
    subscribe(fake_server.url)
    fan_out_event(customer)

    webhooks_send_due(now=NOW)
    webhooks_send_due(now=NOW)

    assert len(fake_server.requests) == 1
