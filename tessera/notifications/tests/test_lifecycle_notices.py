"""Customers are told when their booking starts and when it completes (defect 12)."""

from __future__ import annotations

from datetime import timedelta
from uuid import uuid4

import pytest
from django.core import mail

from tessera.notifications.consumer import event_fan_out
from tessera.notifications.models import (
    Notification,
    NotificationPreference,
    WebhookDelivery,
    WebhookSubscription,
)
from tessera.notifications.services import notifications_send_due, preference_update

from .conftest import START, booking_event

pytestmark = pytest.mark.django_db
NOW = START - timedelta(days=1)


def fan_out(event):
    return event_fan_out(event, event_id=uuid4(), now=NOW)


@pytest.mark.parametrize(
    ("event_type", "subject"),
    [
        ("booking.started", "Your booking has started: Haircut with Bruno"),
        ("booking.completed", "Booking completed: Haircut with Bruno"),
    ],
)
def test_the_customer_gets_an_email_when_the_booking_starts_and_completes(
    customer, event_type, subject
):
    fan_out(booking_event(event_type, customer_id=customer.pk))
    notifications_send_due(now=NOW)

    [message] = mail.outbox
    assert message.to == [customer.email]
    assert message.subject == subject
    assert "K7M2P9QX4T" in message.body
    assert not message.attachments  # nothing to add to a calendar


def test_spanish_sms_follows_the_preferences(customer):
    NotificationPreference.objects.create(
        user=customer,
        language="es",
        email_enabled=False,
        sms_enabled=True,
        phone_number="+34600111222",
    )
    fan_out(booking_event("booking.completed", customer_id=customer.pk))

    [sms] = Notification.objects.all()
    assert sms.channel == "sms"
    assert (
        sms.body == "Tessera: reserva K7M2P9QX4T completada: Haircut with Bruno. Gracias por venir."
    )


def test_the_provider_is_not_told_each_start_but_still_hears_of_a_confirmation(customer, make_user):
    provider = make_user()
    fan_out(
        booking_event("booking.started", customer_id=customer.pk, notify_user_ids=[provider.pk])
    )
    assert list(Notification.objects.values_list("user_id", flat=True)) == [customer.pk]

    fan_out(
        booking_event("booking.confirmed", customer_id=customer.pk, notify_user_ids=[provider.pk])
    )
    assert Notification.objects.filter(user=provider).count() == 1


def test_muted_or_opted_out_customers_are_not_told_but_webhooks_fire(
    customer, make_user, fake_server
):
    WebhookSubscription.objects.create(
        name="crm", url=fake_server.url, secret="s" * 20, event_types=["booking.*"]
    )
    preference_update(user=customer, muted_events=["booking.started"])
    other = make_user()
    preference_update(user=other, opted_out=True)

    fan_out(booking_event("booking.started", customer_id=customer.pk))
    fan_out(booking_event("booking.completed", customer_id=other.pk))

    assert not Notification.objects.exists()
    assert WebhookDelivery.objects.count() == 2
    # a completed booking is still told to someone who muted only the start
    fan_out(booking_event("booking.completed", customer_id=customer.pk))
    assert Notification.objects.filter(user=customer, event_type="booking.completed").count() == 1


def test_an_unknown_event_cannot_be_muted(customer):
    from tessera.core.errors import DomainError

    with pytest.raises(DomainError):
        preference_update(user=customer, muted_events=["booking.exploded"])
