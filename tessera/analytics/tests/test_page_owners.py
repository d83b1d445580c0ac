"""`/analytics/` for the people who own something, signed in through the web sign-in (not the
admin's): each sees their own resources or shows, never anyone else's."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from tessera.accounts.roles import Role
from tessera.events.tests.factories import EventFactory, ShowFactory
from tessera.scheduling.tests.factories import make_resource

from .conftest import at

PAGE = "/analytics/"
MARCH = {"start": "2027-03-01", "end": "2027-03-07"}
PASSWORD = "a-long-passphrase-2027"


def _signed_in(user: Any) -> Client:
    """A client signed in through the web sign-in form, as a person would."""
    user.set_password(PASSWORD)
    user.save(update_fields=["password"])
    client = Client()
    response = client.post(
        f"/account/sign-in/?next={PAGE}", {"username": user.username, "password": PASSWORD}
    )
    assert response.status_code == 302 and response["Location"] == PAGE
    return client


@pytest.fixture
def two_of_each(make_user: Any, book_time: Any, book_show: Any) -> dict[str, Any]:
    people: dict[str, Any] = {}
    for name in ("mine", "theirs"):
        provider = make_user(Role.PROVIDER)
        room = make_resource(name=f"Room {name}", owner=provider, timezone="UTC")
        book_time(room, at(3, 10))
        organizer = make_user(Role.ORGANIZER)
        event = EventFactory(owner=organizer, title=f"Show {name}")
        book_show(ShowFactory(event=event, starts_at=at(5, 20), capacity=4), 2)
        people[f"provider_{name}"], people[f"organizer_{name}"] = provider, organizer
    return people


@pytest.mark.django_db
def test_a_provider_signs_in_on_the_web_and_sees_only_their_resources(two_of_each):
    html = _signed_in(two_of_each["provider_mine"]).get(PAGE, MARCH).content.decode()
    assert "Room mine" in html
    assert "Room theirs" not in html and "Show " not in html


@pytest.mark.django_db
def test_an_organizer_signs_in_on_the_web_and_sees_only_their_shows(two_of_each):
    response = _signed_in(two_of_each["organizer_mine"]).get(PAGE, MARCH)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Show mine" in html and "50%" in html
    assert "Show theirs" not in html and "Room " not in html


@pytest.mark.django_db
def test_a_customer_signed_in_on_the_web_is_told_why_not(customer):
    response = _signed_in(customer).get(PAGE)
    assert response.status_code == 403
    assert "<svg" not in response.content.decode()
