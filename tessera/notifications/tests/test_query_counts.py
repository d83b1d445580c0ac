"""List endpoints cost the same number of queries for 2 rows as for 20."""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import uuid4

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tessera.notifications.consumer import event_fan_out
from tessera.notifications.models import WebhookAttempt, WebhookSubscription
from tessera.notifications.services import booking_event_publish

from .conftest import booking_event

pytestmark = pytest.mark.django_db
NOW = datetime(2030, 1, 1, tzinfo=UTC)


def make_rows(customer, count: int) -> None:
    sub = WebhookSubscription.objects.create(
        name=f"s{count}", url="https://a.example", secret="s" * 20, event_types=["*"]
    )
    for _ in range(count):
        booking_event_publish(event=booking_event(customer_id=customer.pk))
        event_fan_out(booking_event(customer_id=customer.pk), event_id=uuid4(), now=NOW)
    for delivery in sub.deliveries.all():
        WebhookAttempt.objects.create(delivery=delivery, at=NOW, status_code=500)


def queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize(
    "url",
    [
        "/api/notifications/outbox/",
        "/api/notifications/sent/",
        "/api/notifications/webhooks/",
        "/api/notifications/webhook-deliveries/",
    ],
)
def test_list_queries_do_not_grow_with_the_rows(staff, client_for, customer, url):
    client = client_for(staff)
    make_rows(customer, 2)
    few = queries(client, url)
    make_rows(customer, 18)
    many = queries(client, url)
    assert many == few
    assert few <= 6
