"""The profile: name, email, time zone, and the notification preferences."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from tessera.notifications.selectors import preference_get

pytestmark = pytest.mark.django_db

VALID = {
    "first_name": "Cora",
    "last_name": "Lind",
    "email": "cora.lind@example.com",
    "phone_number": "+34600111222",
    "language": "es",
    "timezone": "America/New_York",
    "email_enabled": "on",
    "sms_enabled": "on",
    "muted_events": ["booking.reminder", "booking.created"],
}


def test_saving_the_profile(signed_in: Client, customer: Any) -> None:
    response = signed_in.post("/account/", VALID)
    assert response.status_code == 302
    assert response.cookies["django_language"].value == "es"
    customer.refresh_from_db()
    assert (customer.first_name, customer.email, customer.timezone) == (
        "Cora",
        "cora.lind@example.com",
        "America/New_York",
    )
    preference = preference_get(user=customer)
    assert preference.sms_enabled is True
    assert preference.phone_number == "+34600111222"
    assert preference.language == "es"
    assert preference.muted_events == ["booking.created", "booking.reminder"]
    page = signed_in.get("/account/")
    assert page.context["form"].initial["timezone"] == "America/New_York"


def test_sms_without_a_phone_is_refused_and_nothing_is_saved(
    signed_in: Client, customer: Any
) -> None:
    response = signed_in.post("/account/", {**VALID, "phone_number": ""})
    assert response.status_code == 400
    assert response.context["form"].errors["phone_number"] == [
        "Give a phone number to be told by SMS or WhatsApp."
    ]
    customer.refresh_from_db()
    assert customer.first_name == ""  # the whole form, or nothing


def test_a_taken_email_and_a_bad_phone(signed_in: Client, make_user: Any) -> None:
    make_user(email="taken@example.com")
    taken = signed_in.post("/account/", {**VALID, "email": "TAKEN@example.com"})
    assert taken.status_code == 400
    assert taken.context["form"].errors["email"] == ["That is already taken: choose another."]
    bad = signed_in.post("/account/", {**VALID, "phone_number": "600 11 12"})
    assert bad.context["form"].errors["phone_number"][0].startswith("Give the phone number")


def test_an_unknown_time_zone_is_a_form_error(signed_in: Client) -> None:
    response = signed_in.post("/account/", {**VALID, "timezone": "Mars/Olympus"})
    assert response.status_code == 400
    assert "timezone" in response.context["form"].errors


def test_profile_needs_sign_in(client: Client) -> None:
    assert client.get("/account/").status_code == 302
