"""Each send is recorded per (event, channel, recipient) (defect 9).

The probe's case: a worker hands a message over, then loses its database connection before it
records the outcome. The outcome must still be recorded once the database answers again, and a
later pass over the row must not send it a second time. A sender that dies outright between
the hand-over and the record sends again with the same Message-ID / Idempotency-Key.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from uuid import uuid4

import pytest
from django.core import mail
from django.db import OperationalError

from tessera.notifications.consumer import event_fan_out
from tessera.notifications.idempotency import email_message_id
from tessera.notifications.models import (
    DeliveryStatus,
    Notification,
    NotificationPreference,
    SendRecord,
    SendState,
    WebhookDelivery,
    WebhookSubscription,
)
from tessera.notifications.services import (
    deliveries,
    notifications_send_due,
    pipeline_purge,
    sends,
    webhooks_send_due,
)

from .conftest import START, booking_event

pytestmark = pytest.mark.django_db(transaction=True)
NOW = START - timedelta(days=1)
AFTER_LEASE = NOW + timedelta(minutes=6)  # past the default 5-minute send lease


@pytest.fixture(autouse=True)
def _quick_retries(monkeypatch):
    monkeypatch.setattr(sends, "FIRST_PAUSE_SECONDS", 0.01)
    monkeypatch.setattr(sends, "MAX_PAUSE_SECONDS", 0.05)
    # A simulated drop (below) leaves SQLite's connection usable: say it was lost.
    monkeypatch.setattr(sends, "_connection_lost", lambda: True)


def fan_out(customer, event_type="booking.confirmed", **extra):
    event_id = uuid4()
    event_fan_out(
        booking_event(event_type, customer_id=customer.pk, **extra), event_id=event_id, now=NOW
    )
    return event_id


def drop_connection_once(monkeypatch, target, name):
    """The next call of `target.name` fails as a dropped connection does, then it works."""
    real = getattr(target, name)
    calls = {"n": 0}

    def flaky(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 1:
            raise OperationalError("server closed the connection unexpectedly")
        return real(*args, **kwargs)

    monkeypatch.setattr(target, name, flaky)
    return calls


def test_an_email_has_a_message_id_derived_from_the_event(customer):
    event_id = fan_out(customer)
    notifications_send_due(now=NOW)

    [message] = mail.outbox
    expected = email_message_id(event_id=event_id, recipient=customer.email)
    assert message.extra_headers["Message-ID"] == expected
    assert str(event_id) in expected
    assert email_message_id(event_id=uuid4(), recipient=customer.email) != expected
    record = SendRecord.objects.get()
    assert (record.channel, record.state, record.idempotency_key) == ("email", "sent", expected)
    assert customer.email not in record.recipient_digest  # no address kept in the ledger


def test_a_connection_lost_after_the_send_does_not_send_it_again(customer, monkeypatch):
    fan_out(customer)
    calls = drop_connection_once(monkeypatch, deliveries, "send_finish")

    result = notifications_send_due(now=NOW)

    assert calls["n"] == 2  # the outcome was written on the second try, after reconnecting
    assert (result.sent, result.retrying) == (1, 0)
    assert Notification.objects.get().status == DeliveryStatus.SENT
    assert notifications_send_due(now=AFTER_LEASE).ids == []
    assert len(mail.outbox) == 1


def test_a_send_the_ledger_already_holds_is_recorded_not_repeated(customer, make_user):
    """Two people sharing a phone get one text per event."""
    partner = make_user()
    for person in (customer, partner):
        NotificationPreference.objects.create(
            user=person, email_enabled=False, sms_enabled=True, phone_number="+34600111222"
        )
    fan_out(customer, notify_user_ids=[partner.pk])
    assert Notification.objects.count() == 2

    result = notifications_send_due(now=NOW)

    assert (result.sent, result.recognised) == (2, 1)
    assert SendRecord.objects.get().attempts == 1
    assert set(Notification.objects.values_list("status", flat=True)) == {"sent"}


def test_a_failed_send_is_retried_and_its_ledger_entry_reused(customer, monkeypatch):
    fan_out(customer)

    def refuse(notification):
        raise deliveries.SendFailed("mail server: try later")

    monkeypatch.setattr(deliveries, "channel_send", refuse)
    assert notifications_send_due(now=NOW).retrying == 1
    assert SendRecord.objects.get().state == SendState.FAILED
    monkeypatch.undo()

    row = Notification.objects.get()
    assert notifications_send_due(now=row.available_at).sent == 1
    record = SendRecord.objects.get()
    assert (record.state, record.attempts) == (SendState.SENT, 2)


def test_a_sender_that_died_after_the_hand_over_resends_with_the_same_ids(
    customer, fake_server, monkeypatch, caplog
):
    WebhookSubscription.objects.create(
        name="crm", url=fake_server.url, secret="s" * 24, event_types=["booking.*"]
    )
    event_id = fan_out(customer)

    def die(*args, **kwargs):
        raise SystemExit("worker killed")

    monkeypatch.setattr(deliveries, "send_finish", die)
    with pytest.raises(SystemExit):
        webhooks_send_due(now=NOW)
    monkeypatch.undo()
    assert SendRecord.objects.get(channel="webhook").state == SendState.SENDING
    assert webhooks_send_due(now=NOW).ids == []  # still leased to the dead sender

    with caplog.at_level(logging.WARNING):
        assert webhooks_send_due(now=AFTER_LEASE).sent == 1

    assert "never recorded" in caplog.text
    first, second = fake_server.requests
    for request in (first, second):
        assert request["headers"]["Idempotency-Key"] == str(event_id)
        assert request["headers"]["Tessera-Event-Id"] == str(event_id)
    assert WebhookDelivery.objects.get().status == DeliveryStatus.SENT
    assert SendRecord.objects.get(channel="webhook").attempts == 2


def test_a_replay_is_sent_although_the_event_went_out(customer, fake_server, staff):
    from tessera.notifications.services import webhook_delivery_replay

    WebhookSubscription.objects.create(
        name="crm", url=fake_server.url, secret="s" * 24, event_types=["booking.*"]
    )
    fan_out(customer)
    webhooks_send_due(now=NOW)
    replay = webhook_delivery_replay(delivery=WebhookDelivery.objects.get(), actor=staff, now=NOW)

    assert webhooks_send_due(now=NOW).sent == 1
    assert len(fake_server.requests) == 2
    assert WebhookDelivery.objects.get(pk=replay.pk).status == DeliveryStatus.SENT


def test_the_database_down_for_longer_than_the_retries_gives_up(customer, monkeypatch):
    fan_out(customer)
    monkeypatch.setattr(sends, "RECORD_RETRY_SECONDS", 0.05)

    def down(*args, **kwargs):
        raise OperationalError("could not connect to server")

    monkeypatch.setattr(deliveries, "send_finish", down)
    with pytest.raises(OperationalError):
        notifications_send_due(now=NOW)


def test_the_ledger_is_purged_with_the_pipeline(customer, settings):
    fan_out(customer)
    notifications_send_due(now=NOW)
    settings.NOTIFICATIONS = {**settings.NOTIFICATIONS, "KEEP_DAYS": 1}

    assert pipeline_purge(now=NOW + timedelta(hours=1)).sends == 0
    assert pipeline_purge(now=NOW + timedelta(days=2)).sends == 1
    assert not SendRecord.objects.exists()


@pytest.mark.postgres
def test_on_postgresql_a_connection_terminated_mid_send_delivers_once(customer, fake_server):
    """The real thing: the receiver terminates the sender's backend while answering."""
    from django.db import connection, connections

    WebhookSubscription.objects.create(
        name="crm", url=fake_server.url, secret="s" * 24, event_types=["booking.*"]
    )
    fan_out(customer)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        [sender_pid] = cursor.fetchone()

    def terminate_sender() -> None:
        try:
            with connections["default"].cursor() as cursor:
                cursor.execute("SELECT pg_terminate_backend(%s)", [sender_pid])
        finally:
            connections["default"].close()

    fake_server.on_request = terminate_sender
    result = webhooks_send_due(now=NOW)
    fake_server.on_request = None

    assert result.sent == 1
    assert len(fake_server.requests) == 1
    assert WebhookDelivery.objects.get().status == DeliveryStatus.SENT
    assert webhooks_send_due(now=AFTER_LEASE).ids == []
    assert len(fake_server.requests) == 1
