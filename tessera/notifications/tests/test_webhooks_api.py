"""Webhook subscriptions, the delivery log and replays through the API (staff only)."""

from __future__ import annotations

import pytest

from tessera.notifications.models import (
    DeliveryStatus,
    WebhookAttempt,
    WebhookDelivery,
    WebhookSubscription,
)
from tessera.notifications.services import webhooks_send_due

pytestmark = pytest.mark.django_db
URL = "/api/notifications/webhooks/"
GOOD = {
    "name": "analytics",
    "url": "https://analytics.example.com/in",
    "event_types": ["booking.*"],
}


def test_staff_create_a_subscription_and_see_the_secret_once(staff_api):
    created = staff_api.post(URL, GOOD)

    assert created.status_code == 201
    body = created.json()
    assert body["secret"].startswith("whsec_")
    assert body["event_types"] == ["booking.*"]
    read = staff_api.get(f"{URL}{body['id']}/")
    assert read.status_code == 200
    assert "secret" not in read.json()
    assert WebhookSubscription.objects.get().secret == body["secret"]


def test_a_given_secret_is_kept(staff_api):
    created = staff_api.post(URL, {**GOOD, "secret": "s" * 20})
    assert created.json()["secret"] == "s" * 20


@pytest.mark.parametrize(
    ("payload", "field", "code"),
    [
        ({**GOOD, "url": "ftp://example.com/x"}, "url", "invalid"),
        ({**GOOD, "url": "not a url"}, "url", "invalid"),
        ({**GOOD, "event_types": []}, "event_types", "min_length"),
        ({**GOOD, "event_types": "booking.*"}, "event_types", "not_a_list"),
        ({**GOOD, "event_types": ["Booking Confirmed"]}, "event_types.0", "invalid_event_type"),
        ({**GOOD, "event_types": ["booking.*", "**"]}, "event_types.1", "invalid_event_type"),
        ({**GOOD, "event_types": [7]}, "event_types.0", "invalid_event_type"),
        ({**GOOD, "secret": "short"}, "secret", "min_length"),
        ({**GOOD, "name": None}, "name", "null"),
        ({"url": GOOD["url"], "event_types": ["*"]}, "name", "required"),
    ],
)
def test_bad_subscriptions_are_refused(staff_api, payload, field, code):
    response = staff_api.post(URL, payload)

    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert {"field": field, "code": code} == {
        k: response.json()["errors"][0][k] for k in ("field", "code")
    }
    assert not WebhookSubscription.objects.exists()


def test_customers_may_not_see_or_manage_webhooks(customer_api, api):
    assert customer_api.get(URL).status_code == 403
    assert customer_api.post(URL, GOOD).status_code == 403
    assert api.get(URL).status_code == 401
    assert customer_api.get("/api/notifications/webhook-deliveries/").status_code == 403
    assert not WebhookSubscription.objects.exists()


def test_update_and_delete(staff_api):
    sub_id = staff_api.post(URL, GOOD).json()["id"]

    changed = staff_api.patch(f"{URL}{sub_id}/", {"is_active": False, "event_types": ["*"]})
    assert changed.status_code == 200
    assert (changed.json()["is_active"], changed.json()["event_types"]) == (False, ["*"])
    bad = staff_api.patch(f"{URL}{sub_id}/", {"event_types": ["nope"]})
    assert bad.status_code == 400
    assert WebhookSubscription.objects.get().event_types == ["*"]

    assert staff_api.delete(f"{URL}{sub_id}/").status_code == 204
    assert not WebhookSubscription.objects.exists()
    assert staff_api.get(f"{URL}{sub_id}/").status_code == 404


@pytest.mark.parametrize("bad_id", ["abc", "99999", "1.5", "9" * 30, "-1"])
def test_unknown_or_malformed_ids_are_404(staff_api, bad_id):
    response = staff_api.get(f"{URL}{bad_id}/")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    replay = staff_api.post(f"/api/notifications/webhook-deliveries/{bad_id}/replay/")
    assert replay.status_code == 404


def make_delivery(url, status=DeliveryStatus.DEAD):
    from datetime import UTC, datetime
    from uuid import uuid4

    now = datetime(2030, 1, 1, tzinfo=UTC)
    sub = WebhookSubscription.objects.create(
        name="s", url=url, secret="whsec_0123456789abcdef", event_types=["*"]
    )
    return WebhookDelivery.objects.create(
        subscription=sub,
        event_id=uuid4(),
        event_type="booking.confirmed",
        body='{"id":"x"}',
        status=status,
        attempts=8,
        available_at=now,
        created_at=now,
    )


def test_replay_sends_the_same_event_again_with_a_fresh_signature(staff_api, fake_server):
    original = make_delivery(fake_server.url)

    response = staff_api.post(f"/api/notifications/webhook-deliveries/{original.uid}/replay/")

    assert response.status_code == 202
    body = response.json()
    assert body["replay_of"] == str(original.uid)
    assert body["event_id"] == str(original.event_id)
    assert body["status"] == "pending"
    webhooks_send_due()
    [request] = fake_server.requests
    assert request["headers"]["Tessera-Event-Id"] == str(original.event_id)
    assert request["body"] == b'{"id":"x"}'
    log = staff_api.get(f"/api/notifications/webhook-deliveries/{body['id']}/").json()
    assert log["status"] == "sent"
    assert [a["status_code"] for a in log["log"]] == [200]


def test_a_pending_delivery_cannot_be_replayed(staff_api):
    pending = make_delivery("https://x.example.com", status=DeliveryStatus.PENDING)

    response = staff_api.post(f"/api/notifications/webhook-deliveries/{pending.uid}/replay/")

    assert response.status_code == 409
    assert response.json()["code"] == "delivery_pending"
    assert WebhookDelivery.objects.count() == 1


def test_the_delivery_log_lists_attempts_and_filters(staff_api, django_assert_max_num_queries):
    delivery = make_delivery("https://x.example.com")
    for code in (500, 502):
        WebhookAttempt.objects.create(delivery=delivery, at=delivery.created_at, status_code=code)
    make_delivery("https://y.example.com", status=DeliveryStatus.SENT)

    with django_assert_max_num_queries(8):
        listed = staff_api.get("/api/notifications/webhook-deliveries/?status=dead")

    assert listed.status_code == 200
    [row] = listed.json()["results"]
    assert [a["status_code"] for a in row["log"]] == [500, 502]
    assert staff_api.get("/api/notifications/webhook-deliveries/?status=nope").status_code == 400
