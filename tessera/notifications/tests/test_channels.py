"""Sending notifications: email with its calendar file, SMS and WhatsApp through a
Twilio-compatible API served by a fake server on 127.0.0.1."""

from __future__ import annotations

import base64
from datetime import timedelta
from urllib.parse import parse_qs
from uuid import uuid4

import pytest
from django.core import mail

from tessera.notifications.consumer import event_fan_out
from tessera.notifications.models import DeliveryStatus, Notification, NotificationPreference
from tessera.notifications.services import notifications_send_due

from .conftest import START, booking_event

pytestmark = pytest.mark.django_db
NOW = START - timedelta(days=1)


@pytest.fixture
def twilio(settings, fake_server):
    settings.NOTIFICATIONS = {
        **settings.NOTIFICATIONS,
        "SMS_PROVIDER": "twilio",
        "WHATSAPP_PROVIDER": "twilio",
        "TWILIO_BASE_URL": fake_server.url,
        "TWILIO_ACCOUNT_SID": "AC123",
        "TWILIO_AUTH_TOKEN": "token-xyz",
        "SMS_FROM": "+15550001111",
        "WHATSAPP_FROM": "+15550002222",
        "MAX_ATTEMPTS": 3,
    }
    fake_server.answer = {"sid": "SM0001", "status": "queued"}
    return fake_server


def text_user(user, **kw):
    NotificationPreference.objects.create(
        user=user, email_enabled=False, phone_number="+34600111222", **kw
    )


def test_email_goes_out_with_the_calendar_attachment(customer):
    event_fan_out(booking_event(customer_id=customer.pk), event_id=uuid4(), now=NOW)

    result = notifications_send_due(now=NOW)

    assert result.sent == 1
    [message] = mail.outbox
    assert message.to == [customer.email]
    assert message.subject == "Booking confirmed: Haircut with Bruno"
    [(name, content, mimetype)] = message.attachments
    assert name == "booking.ics"
    assert mimetype.startswith("text/calendar; method=REQUEST")
    assert "BEGIN:VEVENT" in content
    row = Notification.objects.get()
    assert (row.status, row.sent_at, row.attempts) == (DeliveryStatus.SENT, NOW, 1)
    assert row.provider_ref.startswith("<")
    # Nothing is sent twice.
    notifications_send_due(now=NOW + timedelta(hours=1))
    assert len(mail.outbox) == 1


def test_sms_and_whatsapp_post_to_the_twilio_compatible_api(customer, twilio):
    text_user(customer, sms_enabled=True, whatsapp_enabled=True)
    event_fan_out(booking_event(customer_id=customer.pk), event_id=uuid4(), now=NOW)

    result = notifications_send_due(now=NOW)

    assert result.sent == 2
    assert len(twilio.requests) == 2
    forms = {}
    for request in twilio.requests:
        assert request["path"] == "/2010-04-01/Accounts/AC123/Messages.json"
        auth = request["headers"]["Authorization"].split()[1]
        assert base64.b64decode(auth).decode() == "AC123:token-xyz"
        form = {k: v[0] for k, v in parse_qs(request["body"].decode()).items()}
        forms[form["To"]] = form
    assert forms["+34600111222"]["From"] == "+15550001111"
    assert forms["whatsapp:+34600111222"]["From"] == "whatsapp:+15550002222"
    assert "K7M2P9QX4T" in forms["+34600111222"]["Body"]
    assert set(Notification.objects.values_list("provider_ref", flat=True)) == {"SM0001"}


def test_a_provider_outage_is_retried_then_succeeds(customer, twilio):
    text_user(customer, sms_enabled=True)
    twilio.statuses = [503, 201]
    event_fan_out(booking_event(customer_id=customer.pk), event_id=uuid4(), now=NOW)

    first = notifications_send_due(now=NOW)
    row = Notification.objects.get()
    assert (first.retrying, row.status) == (1, DeliveryStatus.PENDING)
    assert "503" in row.last_error
    notifications_send_due(now=row.available_at)

    row.refresh_from_db()
    assert (row.status, row.attempts, row.last_error) == (DeliveryStatus.SENT, 2, "")


def test_a_refused_number_is_dead_at_once(customer, twilio):
    text_user(customer, sms_enabled=True)
    twilio.statuses = [400]
    twilio.answer = {"code": 21211, "message": "Invalid 'To' Phone Number"}
    event_fan_out(booking_event(customer_id=customer.pk), event_id=uuid4(), now=NOW)

    result = notifications_send_due(now=NOW)

    row = Notification.objects.get()
    assert (result.dead, row.status, row.attempts) == (1, DeliveryStatus.DEAD, 1)
    assert "Invalid 'To' Phone Number" in row.last_error


def test_missing_credentials_are_a_dead_letter_not_a_crash(customer, settings):
    settings.NOTIFICATIONS = {**settings.NOTIFICATIONS, "SMS_PROVIDER": "twilio"}
    text_user(customer, sms_enabled=True)
    event_fan_out(booking_event(customer_id=customer.pk), event_id=uuid4(), now=NOW)

    result = notifications_send_due(now=NOW)

    assert result.retrying + result.dead == 1
    assert "TWILIO_ACCOUNT_SID" in Notification.objects.get().last_error


def test_the_console_provider_writes_the_text_to_the_log(customer, caplog):
    text_user(customer, sms_enabled=True)
    event_fan_out(booking_event(customer_id=customer.pk), event_id=uuid4(), now=NOW)

    with caplog.at_level("INFO", logger="tessera.notifications.channels.text"):
        result = notifications_send_due(now=NOW)

    assert result.sent == 1
    assert "sms to +34600111222" in caplog.text
    assert Notification.objects.get().provider_ref.startswith("console:")


def test_an_smtp_failure_is_retried(customer, monkeypatch):
    import smtplib

    def refuse(self, messages):
        raise smtplib.SMTPServerDisconnected("gone")

    monkeypatch.setattr("django.core.mail.backends.locmem.EmailBackend.send_messages", refuse)
    event_fan_out(booking_event(customer_id=customer.pk), event_id=uuid4(), now=NOW)

    result = notifications_send_due(now=NOW)

    assert result.retrying == 1
    assert "gone" in Notification.objects.get().last_error
