"""Odd input never reaches a 500: every write endpoint answers a problem document."""

from __future__ import annotations

import json

import pytest

from tessera.notifications.models import NotificationPreference, WebhookSubscription

pytestmark = pytest.mark.django_db

NOT_OBJECTS = ["null", "[]", '"text"', "12", "1e309", "true"]
GOOD_SUB = {"name": "x", "url": "https://a.example", "event_types": ["*"]}
BAD_SUBSCRIPTIONS = [
    *NOT_OBJECTS,
    json.dumps({"url": {"a": 1}, "name": ["x"], "event_types": [[1]]}),
    json.dumps({**GOOD_SUB, "name": "n" * 101}),
    json.dumps({**GOOD_SUB, "url": "https://" + "a" * 600 + ".example"}),
    json.dumps({**GOOD_SUB, "event_types": "*"}),
    json.dumps({**GOOD_SUB, "event_types": [None]}),
    json.dumps({**GOOD_SUB, "event_types": ["*"] * 51}),
    json.dumps({**GOOD_SUB, "secret": ["a" * 20]}),
    json.dumps({**GOOD_SUB, "url": "javascript:alert(1)"}),
]
BAD_PREFERENCES = [
    *NOT_OBJECTS,
    json.dumps({"phone_number": ["+34600111222"]}),
    json.dumps({"sms_enabled": "yes please"}),
    json.dumps({"muted_events": {"booking.reminder": True}}),
    json.dumps({"language": ["en"]}),
    '{"opted_out": 99999999999999999999999999}',
    json.dumps({"muted_events": ["booking.reminder"] * 100}),
    json.dumps({"phone_number": "+" + "9" * 40}),
]


def is_problem(response) -> bool:
    return response.status_code == 400 and response["Content-Type"] == "application/problem+json"


@pytest.mark.parametrize("body", BAD_SUBSCRIPTIONS)
def test_bad_subscription_bodies_are_400_problems(staff_api, body):
    response = staff_api.post("/api/notifications/webhooks/", body, content_type="application/json")
    assert is_problem(response), response.content
    assert not WebhookSubscription.objects.exists()


@pytest.mark.parametrize("body", BAD_PREFERENCES)
@pytest.mark.parametrize("method", ["patch", "put"])
def test_bad_preference_bodies_are_400_problems(customer_api, method, body):
    response = getattr(customer_api, method)(
        "/api/notifications/preferences/", body, content_type="application/json"
    )
    assert is_problem(response), response.content
    assert not NotificationPreference.objects.exists()


@pytest.mark.parametrize(
    "body", [*BAD_SUBSCRIPTIONS, json.dumps({"is_active": "perhaps"}), '{"secret": "short"}']
)
def test_bad_bodies_for_a_subscription_change_are_400(staff_api, body):
    sub = WebhookSubscription.objects.create(
        name="s", url="https://a.example", secret="s" * 20, event_types=["*"]
    )
    response = staff_api.patch(
        f"/api/notifications/webhooks/{sub.pk}/", body, content_type="application/json"
    )
    assert is_problem(response), response.content
    sub.refresh_from_db()
    assert (sub.name, sub.url, sub.event_types, sub.is_active) == (
        "s",
        "https://a.example",
        ["*"],
        True,
    )


@pytest.mark.parametrize(
    "query",
    [
        "subscription=abc",
        "subscription=99999999999999999999999",
        "subscription=-1",
        "status=%00",
        "page=abc",
        "page=99999999999999999999",
        "page_size=-5",
        "ordering=secret",
        "event_type=" + "x" * 5000,
    ],
)
def test_odd_list_queries_never_fail(staff_api, query):
    for url in (
        "/api/notifications/webhook-deliveries/",
        "/api/notifications/outbox/",
        "/api/notifications/sent/",
    ):
        response = staff_api.get(f"{url}?{query}")
        assert response.status_code in (200, 400, 404), (url, query, response.content)
