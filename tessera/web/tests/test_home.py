"""The home page answers at `/` with what can be booked, in English or Spanish."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from tessera.events.tests.factories import ShowFactory
from tessera.scheduling.tests.factories import ResourceFactory

pytestmark = pytest.mark.django_db


def test_home_lists_resources_and_upcoming_shows(client: Client) -> None:
    ResourceFactory(name="Chair by the window", kind="provider", timezone="Europe/Madrid")
    ResourceFactory(name="Closed room", is_active=False)
    ShowFactory(event__title="Evening quartet", starts_at=timezone.now() + timedelta(days=3))
    ShowFactory(event__title="Old matinee", starts_at=timezone.now() - timedelta(days=3))
    response = client.get("/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Chair by the window" in body
    assert "Europe/Madrid" in body
    assert "Closed room" not in body
    assert "Evening quartet" in body
    assert "Old matinee" not in body
    assert 'href="/shows/' in body


def test_home_with_nothing_to_book_says_so(client: Client) -> None:
    body = client.get("/").content.decode()
    assert "Nothing to book yet." in body
    assert "No shows coming up." in body


def test_the_language_switch_turns_pages_spanish(client: Client) -> None:
    response = client.post("/i18n/setlang/", {"language": "es", "next": "/"})
    assert response.status_code == 302
    body = client.get("/").content.decode()
    assert '<html lang="es">' in body
    assert "Reservar una hora" in body


def test_accept_language_picks_spanish(client: Client) -> None:
    body = client.get("/", HTTP_ACCEPT_LANGUAGE="es-ES,es;q=0.9").content.decode()
    assert '<html lang="es">' in body


def test_home_refuses_post(client: Client, make_user: Any) -> None:
    assert client.post("/").status_code == 405


def test_layout_has_skip_link_language_switch_and_csrf_header(client: Client) -> None:
    body = client.get("/").content.decode()
    assert 'href="#main"' in body
    assert 'id="main"' in body
    assert 'name="language"' in body
    assert "htmx-2.0.11.min.js" in body
    assert '"X-CSRFToken"' in body
