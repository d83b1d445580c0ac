"""The admin: subscriptions through the services, replay and retry actions."""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import uuid4

import pytest

from tessera.notifications.models import (
    DeliveryStatus,
    OutboxMessage,
    OutboxStatus,
    WebhookDelivery,
    WebhookSubscription,
)

pytestmark = pytest.mark.django_db
NOW = datetime(2030, 1, 1, tzinfo=UTC)


@pytest.fixture
def admin_client(client, make_user):
    from tessera.accounts.roles import Role

    admin = make_user(Role.STAFF, is_superuser=True)
    client.force_login(admin)
    return client


def test_adding_a_subscription_generates_a_secret_and_checks_event_types(admin_client):
    url = "/admin/notifications/webhooksubscription/add/"
    bad = admin_client.post(
        url,
        {"name": "a", "url": "https://a.example", "event_types_text": "nope", "is_active": "on"},
    )
    assert bad.status_code == 200  # the form again, with the error
    assert not WebhookSubscription.objects.exists()

    good = admin_client.post(
        url,
        {
            "name": "a",
            "url": "https://a.example",
            "event_types_text": "booking.*, booking.confirmed",
            "is_active": "on",
        },
    )

    assert good.status_code == 302
    sub = WebhookSubscription.objects.get()
    assert sub.event_types == ["booking.*", "booking.confirmed"]
    assert sub.secret.startswith("whsec_")


def test_the_replay_action_replays_finished_deliveries_only(admin_client):
    sub = WebhookSubscription.objects.create(
        name="s", url="https://a.example", secret="s" * 20, event_types=["*"]
    )
    done, pending = (
        WebhookDelivery.objects.create(
            subscription=sub,
            event_id=uuid4(),
            event_type="booking.confirmed",
            body="{}",
            status=status,
            available_at=NOW,
            created_at=NOW,
        )
        for status in (DeliveryStatus.SENT, DeliveryStatus.PENDING)
    )

    response = admin_client.post(
        "/admin/notifications/webhookdelivery/",
        {"action": "replay", "_selected_action": [done.pk, pending.pk]},
    )

    assert response.status_code == 302
    assert list(
        WebhookDelivery.objects.filter(replay_of__isnull=False).values_list("replay_of", flat=True)
    ) == [done.pk]


def test_the_retry_action_revives_dead_messages(admin_client):
    message = OutboxMessage.objects.create(
        event_type="booking.confirmed",
        aggregate="booking",
        aggregate_id="R",
        payload={},
        status=OutboxStatus.DEAD,
        attempts=8,
        available_at=NOW,
        created_at=NOW,
    )

    admin_client.post(
        "/admin/notifications/outboxmessage/",
        {"action": "retry_dead", "_selected_action": [message.pk]},
    )

    message.refresh_from_db()
    assert (message.status, message.attempts) == (OutboxStatus.PENDING, 0)


@pytest.mark.parametrize(
    "page",
    [
        "outboxmessage",
        "notification",
        "notificationpreference",
        "webhooksubscription",
        "webhookdelivery",
    ],
)
def test_the_lists_render(admin_client, page):
    assert admin_client.get(f"/admin/notifications/{page}/").status_code == 200
