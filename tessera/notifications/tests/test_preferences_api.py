"""`/api/notifications/preferences/`: a person's channels, language and opt-out."""

from __future__ import annotations

import pytest

from tessera.notifications.models import NotificationPreference

pytestmark = pytest.mark.django_db
URL = "/api/notifications/preferences/"
DEFAULTS = {
    "email_enabled": True,
    "sms_enabled": False,
    "whatsapp_enabled": False,
    "phone_number": "",
    "language": "",
    "opted_out": False,
    "muted_events": [],
}


def test_a_new_user_reads_the_defaults_without_a_row_being_written(customer_api):
    response = customer_api.get(URL)

    assert response.status_code == 200
    assert response.json() == DEFAULTS
    assert not NotificationPreference.objects.exists()


def test_patch_changes_only_what_is_given(customer_api, customer):
    first = customer_api.patch(URL, {"phone_number": "+34600111222", "sms_enabled": True})
    second = customer_api.patch(URL, {"language": "es", "muted_events": ["booking.reminder"]})

    assert first.status_code == second.status_code == 200
    assert second.json() == {
        **DEFAULTS,
        "phone_number": "+34600111222",
        "sms_enabled": True,
        "language": "es",
        "muted_events": ["booking.reminder"],
    }
    assert NotificationPreference.objects.get(user=customer).sms_enabled is True


def test_put_works_like_patch_and_opt_out_is_kept(customer_api):
    response = customer_api.put(URL, {"opted_out": True})
    assert response.status_code == 200
    assert customer_api.get(URL).json()["opted_out"] is True


def test_each_person_sees_only_their_own(customer_api, client_for, make_user):
    customer_api.patch(URL, {"language": "es"})
    other = client_for(make_user())
    assert other.get(URL).json()["language"] == ""


@pytest.mark.parametrize(
    ("payload", "field", "code"),
    [
        ({"sms_enabled": True}, "phone_number", "phone_required"),
        ({"whatsapp_enabled": True, "phone_number": ""}, "phone_number", "phone_required"),
        ({"phone_number": "600111222"}, "phone_number", "invalid_phone"),
        ({"phone_number": "+3460011122233344"}, "phone_number", "max_length"),
        ({"language": "fr"}, "language", "invalid_choice"),
        ({"language": 7}, "language", "invalid_choice"),
        ({"email_enabled": "maybe"}, "email_enabled", "invalid"),
        ({"opted_out": None}, "opted_out", "null"),
        ({"muted_events": "booking.reminder"}, "muted_events", "not_a_list"),
        ({"muted_events": ["booking.nope"]}, "muted_events.0", "invalid_choice"),
        ({"muted_events": [{"a": 1}]}, "muted_events.0", "invalid_choice"),
    ],
)
def test_bad_input_is_refused_and_changes_nothing(customer_api, payload, field, code):
    response = customer_api.patch(URL, payload)

    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    error = response.json()["errors"][0]
    assert (error["field"], error["code"]) == (field, code)
    assert customer_api.get(URL).json() == DEFAULTS


def test_turning_off_the_phone_number_while_sms_is_on_is_refused(customer_api):
    customer_api.patch(URL, {"phone_number": "+34600111222", "sms_enabled": True})

    response = customer_api.patch(URL, {"phone_number": ""})

    assert response.status_code == 400
    assert response.json()["code"] == "phone_required"
    assert customer_api.get(URL).json()["phone_number"] == "+34600111222"


def test_malformed_json_and_anonymous_callers(customer_api, api):
    broken = customer_api.generic("PATCH", URL, "{not json", content_type="application/json")
    assert broken.status_code == 400
    assert broken.json()["code"] == "malformed_body"
    assert api.get(URL).status_code == 401
    assert api.patch(URL, {"opted_out": True}).status_code == 401
