"""The consumer: who is told, on which channel, in which language, with which attachment."""

from __future__ import annotations

from datetime import timedelta
from uuid import uuid4

import pytest

from tessera.notifications.consumer import event_fan_out
from tessera.notifications.models import Notification, NotificationPreference, WebhookDelivery

from .conftest import START, booking_event

pytestmark = pytest.mark.django_db
NOW = START - timedelta(days=1)


def fan_out(event):
    return event_fan_out(event, event_id=uuid4(), now=NOW)


def prefs(user, **kw):
    return NotificationPreference.objects.create(user=user, **kw)


def test_defaults_email_only_in_english_with_local_times(customer):
    result = fan_out(booking_event(customer_id=customer.pk))

    [email] = Notification.objects.all()
    assert result.notifications == 1
    assert (email.channel, email.recipient, email.language) == ("email", customer.email, "en")
    assert email.subject == "Booking confirmed: Haircut with Bruno"
    # 09:00 UTC in Madrid (summer time) is 11:00 CEST
    assert "2030-05-06 11:00 CEST - 2030-05-06 11:30 CEST" in email.body
    assert "Calle Mayor 1, Madrid" in email.body
    assert email.body.startswith(f"Hello {customer.username},")


def test_a_confirmation_carries_a_calendar_file(customer):
    fan_out(booking_event(customer_id=customer.pk, sequence=2))

    ics = Notification.objects.get().ics
    assert ics.startswith("BEGIN:VCALENDAR\r\n")
    assert "METHOD:REQUEST\r\n" in ics
    assert "UID:booking-K7M2P9QX4T@tessera.local\r\n" in ics
    assert "DTSTART:20300506T090000Z\r\n" in ics
    assert "DTEND:20300506T093000Z\r\n" in ics
    assert "SEQUENCE:2\r\n" in ics
    assert "LOCATION:Calle Mayor 1\\, Madrid\r\n" in ics
    assert all(len(line.encode()) <= 75 for line in ics.split("\r\n"))


def test_a_cancellation_cancels_the_calendar_entry_and_a_reminder_has_none(customer):
    fan_out(booking_event("booking.cancelled", customer_id=customer.pk, reason="Shop closed"))
    fan_out(booking_event("booking.reminder", customer_id=customer.pk))

    cancelled = Notification.objects.get(event_type="booking.cancelled")
    reminder = Notification.objects.get(event_type="booking.reminder")
    assert "METHOD:CANCEL" in cancelled.ics
    assert "STATUS:CANCELLED" in cancelled.ics
    assert "Reason: Shop closed" in cancelled.body
    assert reminder.ics == ""
    assert reminder.subject.startswith("Reminder: Haircut with Bruno")


def test_spanish_and_text_channels_follow_the_preferences(customer):
    prefs(
        customer,
        language="es",
        sms_enabled=True,
        whatsapp_enabled=True,
        phone_number="+34600111222",
    )

    fan_out(booking_event("booking.promoted", customer_id=customer.pk))

    rows = {n.channel: n for n in Notification.objects.all()}
    assert set(rows) == {"email", "sms", "whatsapp"}
    assert rows["email"].subject == "Tienes plaza: Haircut with Bruno"
    assert rows["sms"].recipient == "+34600111222"
    assert rows["sms"].body.startswith("Tessera: tienes plaza para Haircut with Bruno")
    assert "\n" not in rows["whatsapp"].body


def test_opted_out_or_muted_people_are_not_told_but_webhooks_still_fire(customer, make_user):
    from tessera.notifications.models import WebhookSubscription

    WebhookSubscription.objects.create(
        name="a", url="https://a.example", secret="s" * 20, event_types=["*"]
    )
    muted = make_user()
    prefs(customer, opted_out=True)
    prefs(muted, muted_events=["booking.confirmed"])

    result = fan_out(booking_event(customer_id=customer.pk, notify_user_ids=[muted.pk]))

    assert not Notification.objects.exists()
    assert (result.notifications, result.webhooks) == (0, 1)
    assert WebhookDelivery.objects.count() == 1


def test_extra_recipients_are_told_once_each(customer, make_user):
    provider = make_user()

    fan_out(
        booking_event(customer_id=customer.pk, notify_user_ids=[provider.pk, customer.pk, 99999])
    )

    assert sorted(Notification.objects.values_list("user", flat=True)) == sorted(
        [customer.pk, provider.pk]
    )


def test_someone_without_an_email_address_gets_no_email(customer):
    customer.email = ""
    customer.save()

    assert fan_out(booking_event(customer_id=customer.pk)).notifications == 0


def test_events_nobody_is_told_about_only_go_to_webhooks(customer):
    result = fan_out(booking_event("booking.no_show", customer_id=customer.pk))
    assert result.notifications == 0
    assert not Notification.objects.exists()


def test_fan_out_twice_for_one_event_adds_nothing(customer):
    event_id = uuid4()
    event = booking_event(customer_id=customer.pk)
    event_fan_out(event, event_id=event_id, now=NOW)
    event_fan_out(event, event_id=event_id, now=NOW)
    assert Notification.objects.count() == 1


@pytest.mark.parametrize(
    "event_type",
    [
        "booking.created",
        "booking.confirmed",
        "booking.changed",
        "booking.cancelled",
        "booking.declined",
        "booking.expired",
        "booking.waitlisted",
        "booking.promoted",
        "booking.reminder",
        "booking.started",
        "booking.completed",
    ],
)
@pytest.mark.parametrize("language", ["en", "es"])
def test_every_notified_event_has_a_template_in_every_language(customer, event_type, language):
    prefs(customer, language=language, sms_enabled=True, phone_number="+34600111222")

    fan_out(
        booking_event(
            event_type,
            customer_id=customer.pk,
            position=2,
            confirm_deadline=(START - timedelta(hours=2)).isoformat(),
        )
    )

    email = Notification.objects.get(channel="email")
    sms = Notification.objects.get(channel="sms")
    assert "Haircut with Bruno" in email.subject
    assert "Haircut with Bruno" in email.body
    assert "Haircut with Bruno" in sms.body
    assert "2030-05-06 11:00 CEST" in email.body
    for text in (email.subject, email.body, sms.body):
        assert "{" not in text
        assert "%" not in text
    assert len(sms.body) <= 320
