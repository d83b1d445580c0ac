"""What the pipeline keeps: finished rows go after NOTIFY_KEEP_DAYS; an erased person's events
no longer name them."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from tessera.notifications.models import (
    DeliveryStatus,
    Notification,
    OutboxMessage,
    OutboxStatus,
    WebhookAttempt,
    WebhookDelivery,
    WebhookSubscription,
)
from tessera.notifications.services import (
    booking_event_publish,
    events_forget_customer,
    outbox_deliver,
    pipeline_purge,
)

from .conftest import START, booking_event

pytestmark = pytest.mark.django_db
NOW = START - timedelta(days=1)


@pytest.fixture
def subscription():
    return WebhookSubscription.objects.create(
        name="crm", url="http://127.0.0.1:9/hooks", secret="s" * 32, event_types=["booking.*"]
    )


def fanned_out(customer, *, days_ago: int, **event):
    """A message published `days_ago` days before NOW and fanned out (notification, webhook)."""
    at = NOW - timedelta(days=days_ago)
    message = booking_event_publish(event=booking_event(customer_id=customer.pk, **event), now=at)
    outbox_deliver(event_id=message.event_id, now=at)
    return message


def test_finished_rows_older_than_the_keep_days_go(settings, customer, subscription):
    settings.NOTIFICATIONS = {**settings.NOTIFICATIONS, "KEEP_DAYS": 30}
    old = fanned_out(customer, days_ago=31, reference="OLD0000001")
    recent = fanned_out(customer, days_ago=29, reference="NEW0000001")
    WebhookDelivery.objects.update(status=DeliveryStatus.SENT)
    Notification.objects.update(status=DeliveryStatus.SENT)
    for delivery in WebhookDelivery.objects.all():
        WebhookAttempt.objects.create(delivery=delivery, at=NOW, status_code=200)
    waiting = booking_event_publish(  # never relayed: pending, however old
        event=booking_event(customer_id=customer.pk, reference="PEND000001"),
        now=NOW - timedelta(days=400),
    )

    result = pipeline_purge(now=NOW)

    assert (result.messages, result.webhook_deliveries) == (1, 1)
    assert result.notifications >= 1
    assert not Notification.objects.filter(event_id=old.event_id).exists()
    assert Notification.objects.filter(event_id=recent.event_id).count() == result.notifications
    assert set(OutboxMessage.objects.values_list("event_id", flat=True)) == {
        recent.event_id,
        waiting.event_id,
    }
    assert not WebhookDelivery.objects.filter(event_id=old.event_id).exists()
    assert WebhookDelivery.objects.filter(event_id=recent.event_id).exists()
    assert WebhookAttempt.objects.count() == 1  # the purged delivery's log went with it
    assert pipeline_purge(now=NOW) == type(result)()  # run twice: nothing more


def test_rows_on_their_way_stay_and_dead_ones_go_in_time(settings, customer, subscription):
    settings.NOTIFICATIONS = {**settings.NOTIFICATIONS, "KEEP_DAYS": 30}
    fanned_out(customer, days_ago=60)
    WebhookDelivery.objects.update(status=DeliveryStatus.PENDING)  # still being retried
    Notification.objects.update(status=DeliveryStatus.DEAD)
    OutboxMessage.objects.update(status=OutboxStatus.DEAD)

    result = pipeline_purge(now=NOW)

    assert result.messages == 1 and result.notifications >= 1
    assert result.webhook_deliveries == 0
    assert WebhookDelivery.objects.count() == 1


def test_keep_days_zero_keeps_everything(settings, customer, subscription):
    settings.NOTIFICATIONS = {**settings.NOTIFICATIONS, "KEEP_DAYS": 0}
    fanned_out(customer, days_ago=4000)
    OutboxMessage.objects.update(status=OutboxStatus.DONE)
    assert pipeline_purge(now=NOW).messages == 0
    assert OutboxMessage.objects.count() == 1


def test_a_forgotten_customer_is_named_in_no_event(customer, make_user, subscription):
    other = make_user()
    theirs = fanned_out(customer, days_ago=1, reason="moving to Porto, call +351 900")
    kept = fanned_out(other, days_ago=1, reason="changed plans")
    placeholder = make_user()

    changed = events_forget_customer(customer_id=customer.pk, replacement_id=placeholder.pk)

    assert changed == 1
    theirs.refresh_from_db()
    assert theirs.payload["customer_id"] == placeholder.pk
    assert theirs.payload["reason"] is None
    assert theirs.payload["reference"] == "K7M2P9QX4T"  # the rest stays
    body = json.loads(WebhookDelivery.objects.get(event_id=theirs.event_id).body)
    assert body["data"]["customer_id"] == placeholder.pk and body["data"]["reason"] is None
    assert body["id"] == str(theirs.event_id)
    kept.refresh_from_db()
    assert kept.payload["customer_id"] == other.pk
    assert kept.payload["reason"] == "changed plans"
    other_body = json.loads(WebhookDelivery.objects.get(event_id=kept.event_id).body)
    assert other_body["data"]["reason"] == "changed plans"


def test_the_daily_task_runs_the_purge_and_is_on_the_beat_schedule(settings, customer):
    from tessera.notifications.tasks import pipeline_purge_task

    settings.NOTIFICATIONS = {**settings.NOTIFICATIONS, "KEEP_DAYS": 1}
    fanned_out(customer, days_ago=3000)  # long ago (the task's clock is the real one)
    OutboxMessage.objects.update(status=OutboxStatus.DONE)
    assert pipeline_purge_task() >= 1
    assert not OutboxMessage.objects.exists()
    entry = settings.CELERY_BEAT_SCHEDULE["notifications-purge"]
    assert (entry["task"], entry["schedule"]) == ("notifications.purge_finished", 86_400.0)
