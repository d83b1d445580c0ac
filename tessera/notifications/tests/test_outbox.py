"""The outbox: publish in the caller's transaction, relay, deliver, retry, dead letters."""

from __future__ import annotations

from datetime import timedelta
from uuid import UUID

import pytest
import time_machine
from django.db import transaction

from tessera.notifications import broker
from tessera.notifications.errors import InvalidEvent, OutboxNotDead
from tessera.notifications.models import Notification, OutboxMessage, OutboxStatus
from tessera.notifications.services import (
    booking_event_publish,
    outbox_deliver,
    outbox_message_retry,
    outbox_publish,
    outbox_relay,
)

from .conftest import START, booking_event

pytestmark = pytest.mark.django_db
NOW = START - timedelta(days=2)


class Recorder:
    """A publisher that records what the relay hands to the broker."""

    def __init__(self, fail_after: int | None = None) -> None:
        self.published: list[UUID] = []
        self.fail_after = fail_after

    def __call__(self, event_ids):
        done: list[UUID] = []
        for event_id in event_ids:
            if self.fail_after is not None and len(self.published) >= self.fail_after:
                raise broker.BrokerUnavailable(done, ConnectionRefusedError("refused"))
            self.published.append(event_id)
            done.append(event_id)
        return done


def publish(customer, event_type="booking.confirmed", **kw):
    return booking_event_publish(event=booking_event(event_type, customer_id=customer.pk), **kw)


def test_publish_writes_a_pending_row_with_a_stable_id(customer):
    message = publish(customer, now=NOW)

    row = OutboxMessage.objects.get()
    assert row.event_id == message.event_id
    assert (row.status, row.attempts, row.available_at) == (OutboxStatus.PENDING, 0, NOW)
    assert (row.event_type, row.aggregate, row.aggregate_id) == (
        "booking.confirmed",
        "booking",
        "K7M2P9QX4T",
    )
    assert row.payload["customer_id"] == customer.pk
    assert "type" not in row.payload


def test_a_rolled_back_change_leaves_no_message(customer):
    def change_that_fails() -> None:
        with transaction.atomic():
            publish(customer)
            raise RuntimeError("the booking change failed")

    with pytest.raises(RuntimeError):
        change_that_fails()

    assert not OutboxMessage.objects.exists()


def test_publish_with_a_known_dedup_key_returns_the_first_message(customer):
    first = publish(customer, event_type="booking.reminder", dedup_key="reminder:K7M2P9QX4T")
    second = publish(customer, event_type="booking.reminder", dedup_key="reminder:K7M2P9QX4T")

    assert second.pk == first.pk
    assert OutboxMessage.objects.count() == 1


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"type": "booking.unknown"}, "type"),
        ({"type": "Booking Confirmed"}, "type"),
        ({"reference": None}, "reference"),
        ({"customer_id": "7"}, "customer_id"),
        ({"customer_id": True}, "customer_id"),
        ({"starts_at": "tomorrow"}, "starts_at"),
        ({"starts_at": "2030-05-06T09:00:00"}, "starts_at"),
        ({"ends_at": "2030-05-06T08:00:00+00:00"}, "ends_at"),
        ({"timezone": "Mars/Olympus"}, "timezone"),
        ({"notify_user_ids": ["a"]}, "notify_user_ids"),
        ({"position": 1.5}, "position"),
    ],
)
def test_a_malformed_booking_event_is_refused_and_writes_nothing(customer, change, field):
    event = {**booking_event(customer_id=customer.pk), **change}
    if change.get("reference", "") is None:
        del event["reference"]

    with pytest.raises(InvalidEvent) as caught:
        booking_event_publish(event=event)

    assert caught.value.field == field
    assert caught.value.code == "invalid_event"
    assert not OutboxMessage.objects.exists()


def test_generic_publish_refuses_a_payload_that_is_not_json():
    with pytest.raises(InvalidEvent):
        outbox_publish(event_type="x.y", aggregate="a", aggregate_id=1, payload={"o": object()})
    assert not OutboxMessage.objects.exists()


def test_relay_hands_due_messages_over_once_and_marks_them_queued(customer):
    early = publish(customer, now=NOW)
    later = publish(customer, now=NOW + timedelta(minutes=1))
    recorder = Recorder()

    first = outbox_relay(now=NOW, publish=recorder)
    second = outbox_relay(now=NOW, publish=recorder)

    assert (first.claimed, first.published) == (1, 1)
    assert (second.claimed, second.published) == (0, 0)
    assert recorder.published == [early.event_id]
    early.refresh_from_db()
    later.refresh_from_db()
    assert early.status == OutboxStatus.QUEUED
    assert later.status == OutboxStatus.PENDING


def test_a_queued_message_not_handled_in_time_is_relayed_again(customer, settings):
    message = publish(customer, now=NOW)
    recorder = Recorder()
    outbox_relay(now=NOW, publish=recorder)
    lease = settings.NOTIFICATIONS["REQUEUE_AFTER_SECONDS"]

    outbox_relay(now=NOW + timedelta(seconds=lease - 1), publish=recorder)
    assert recorder.published == [message.event_id]

    outbox_relay(now=NOW + timedelta(seconds=lease), publish=recorder)
    assert recorder.published == [message.event_id, message.event_id]


def test_relay_with_the_broker_down_keeps_the_rest_due_without_counting_a_failure(customer):
    messages = [publish(customer, now=NOW) for _ in range(3)]
    down = Recorder(fail_after=1)

    result = outbox_relay(now=NOW, publish=down)

    assert (result.claimed, result.published, result.broker_down) == (3, 1, True)
    rows = {m.event_id: m for m in OutboxMessage.objects.all()}
    assert rows[messages[0].event_id].status == OutboxStatus.QUEUED
    for message in messages[1:]:
        row = rows[message.event_id]
        assert (row.status, row.attempts) == (OutboxStatus.PENDING, 0)
        assert row.available_at <= NOW + timedelta(seconds=5)
    back = Recorder()
    outbox_relay(now=NOW + timedelta(seconds=5), publish=back)
    assert back.published == [m.event_id for m in messages[1:]]


def test_deliver_fans_out_once_and_marks_the_message_done(customer):
    message = publish(customer, now=NOW)

    outbox_deliver(event_id=message.event_id, now=NOW)
    outbox_deliver(event_id=message.event_id, now=NOW)

    message.refresh_from_db()
    assert (message.status, message.processed_at) == (OutboxStatus.DONE, NOW)
    assert Notification.objects.filter(event_id=message.event_id).count() == 1


def test_deliver_of_an_unknown_or_malformed_id_changes_nothing(customer):
    publish(customer)
    assert outbox_deliver(event_id="not-a-uuid") is None
    assert outbox_deliver(event_id="00000000-0000-0000-0000-000000000000") is None
    assert OutboxMessage.objects.get().status == OutboxStatus.PENDING


def failing_fan_out(event, **kwargs):
    Notification.objects.create(  # written, then rolled back with the savepoint
        event_id=kwargs["event_id"],
        event_type="x.y",
        user_id=event["customer_id"],
        channel="email",
        language="en",
        recipient="a@b.c",
        body="-",
        available_at=kwargs["now"],
        created_at=kwargs["now"],
    )
    raise RuntimeError("template broke")


def test_a_failing_fan_out_is_retried_with_exponential_backoff_then_dead(customer, settings):
    settings.NOTIFICATIONS = {
        **settings.NOTIFICATIONS,
        "MAX_ATTEMPTS": 3,
        "BACKOFF_BASE_SECONDS": 10,
    }
    message = publish(customer, now=NOW)
    seen = []
    for _ in range(3):
        outbox_deliver(event_id=message.event_id, now=NOW, fan_out=failing_fan_out)
        message.refresh_from_db()
        seen.append((message.status, message.attempts, message.available_at - NOW))

    assert seen == [
        (OutboxStatus.PENDING, 1, timedelta(seconds=10)),
        (OutboxStatus.PENDING, 2, timedelta(seconds=20)),
        (OutboxStatus.DEAD, 3, timedelta(seconds=20)),
    ]
    assert "template broke" in message.last_error
    assert not Notification.objects.exists()
    # A dead message is left alone by the relay and by the handler.
    recorder = Recorder()
    outbox_relay(now=NOW + timedelta(days=1), publish=recorder)
    assert recorder.published == []


def test_a_dead_message_can_be_retried_and_then_goes_out(customer, staff):
    message = publish(customer, now=NOW)
    OutboxMessage.objects.filter(pk=message.pk).update(status=OutboxStatus.DEAD, attempts=8)

    outbox_message_retry(message=message, actor=staff, now=NOW)
    recorder = Recorder()
    outbox_relay(now=NOW, publish=recorder)

    message.refresh_from_db()
    assert (message.status, message.attempts) == (OutboxStatus.QUEUED, 0)
    assert recorder.published == [message.event_id]
    with pytest.raises(OutboxNotDead):
        outbox_message_retry(message=message, actor=staff, now=NOW)


def test_backoff_is_capped(settings):
    from tessera.notifications.retry import backoff

    settings.NOTIFICATIONS = {
        **settings.NOTIFICATIONS,
        "BACKOFF_BASE_SECONDS": 30,
        "BACKOFF_MAX_SECONDS": 3600,
    }
    assert [backoff(n).total_seconds() for n in (1, 2, 3, 7, 8, 100)] == [
        30,
        60,
        120,
        1920,
        3600,
        3600,
    ]


def test_time_travel_relay_uses_the_clock(customer):
    with time_machine.travel(NOW, tick=False):
        message = publish(customer)
        recorder = Recorder()
        outbox_relay(publish=recorder)
    assert recorder.published == [message.event_id]


def test_generic_publish_of_a_booking_event_is_held_to_the_same_shape(customer):
    with pytest.raises(InvalidEvent) as caught:
        outbox_publish(
            event_type="booking.confirmed",
            aggregate="booking",
            aggregate_id="K7M2P9QX4T",
            payload={"reference": "K7M2P9QX4T", "customer_id": customer.pk},
        )
    assert caught.value.field == "starts_at"
    assert not OutboxMessage.objects.exists()


def test_the_broker_sweep_deletes_old_consumed_files_only(tmp_path, settings):
    import os
    import time

    from tessera.notifications.tasks import broker_sweep_task

    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {"processed_folder": str(tmp_path)}
    old, new = tmp_path / "1_a.tessera.msg", tmp_path / "2_b.tessera.msg"
    old.write_text("{}")
    new.write_text("{}")
    two_days_ago = time.time() - 2 * 86_400
    os.utime(old, (two_days_ago, two_days_ago))

    assert broker_sweep_task() == 1
    assert [p.name for p in tmp_path.iterdir()] == ["2_b.tessera.msg"]
