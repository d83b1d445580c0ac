"""The invariants hold in the database itself, not only in the services."""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import uuid4

import pytest
from django.db import IntegrityError, transaction

from tessera.notifications.models import (
    Notification,
    NotificationPreference,
    OutboxMessage,
    WebhookDelivery,
    WebhookSubscription,
)

pytestmark = pytest.mark.django_db
NOW = datetime(2030, 1, 1, tzinfo=UTC)


def refused(create) -> bool:
    try:
        with transaction.atomic():
            create()
    except IntegrityError:
        return True
    return False


def test_one_notification_per_event_person_and_channel(customer):
    event_id = uuid4()

    def notify(channel="email"):
        return Notification.objects.create(
            event_id=event_id,
            event_type="booking.confirmed",
            user=customer,
            channel=channel,
            language="en",
            recipient="a@b.c",
            body="-",
            available_at=NOW,
            created_at=NOW,
        )

    notify()
    assert refused(notify)
    assert not refused(lambda: notify("sms"))


def test_one_webhook_delivery_per_event_and_subscription_but_replays_are_allowed():
    sub = WebhookSubscription.objects.create(
        name="s", url="https://a.example", secret="s" * 20, event_types=["*"]
    )
    event_id = uuid4()

    def deliver(replay_of=None):
        return WebhookDelivery.objects.create(
            subscription=sub,
            event_id=event_id,
            event_type="booking.confirmed",
            body="{}",
            available_at=NOW,
            created_at=NOW,
            replay_of=replay_of,
        )

    first = deliver()
    assert refused(deliver)
    assert not refused(lambda: deliver(replay_of=first))


def test_outbox_dedup_keys_and_event_ids_are_unique():
    def message(**kw):
        return OutboxMessage.objects.create(
            event_type="x.y",
            aggregate="a",
            aggregate_id="1",
            payload={},
            available_at=NOW,
            created_at=NOW,
            **kw,
        )

    first = message(dedup_key="k")
    assert refused(lambda: message(dedup_key="k"))
    assert refused(lambda: message(event_id=first.event_id))
    assert refused(lambda: message(status="lost"))


def test_text_channels_need_a_phone_number_in_the_database(customer):
    assert refused(lambda: NotificationPreference.objects.create(user=customer, sms_enabled=True))
