"""Browse and search (kind, day, place, category, text) and the provider, event, venue pages."""

from __future__ import annotations

from datetime import UTC, datetime, time
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from tessera.events.models import ShowPrice
from tessera.events.tests.factories import ShowFactory, VenueFactory
from tessera.scheduling.models import Closure
from tessera.scheduling.tests.factories import make_resource

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]


@pytest.fixture
def catalogue(chair: Any) -> dict[str, Any]:
    room = make_resource(
        name="Study room", kind="room", location="Academy, Lisbon", hours=[(0, time(8), time(20))]
    )
    hall = VenueFactory(name="Riverside", location="Porto docks", timezone="Europe/Lisbon")
    concert = ShowFactory(
        event__title="Harbour jazz",
        event__category="concert",
        venue=hall,
        starts_at=datetime(2027, 3, 5, 20, 0, tzinfo=UTC),
        price=Decimal("18.00"),
    )
    film = ShowFactory(
        event__title="Northern film",
        event__category="film",
        starts_at=datetime(2027, 3, 9, 20, 0, tzinfo=UTC),
    )
    return {"chair": chair, "room": room, "concert": concert, "film": film, "hall": hall}


def _names(response: Any) -> tuple[list[str], list[str]]:
    return (
        [r.name for r in response.context["resources"]],
        [s.event.title for s in response.context["shows"]],
    )


def test_everything_by_default(client: Client, catalogue: dict[str, Any]) -> None:
    resources, shows = _names(client.get("/browse/"))
    assert resources == ["Chair of Bruno", "Study room"]
    assert shows == ["Harbour jazz", "Northern film"]


@pytest.mark.parametrize(
    ("query", "resources", "shows"),
    [
        ("kind=room", ["Study room"], []),
        ("kind=shows", [], ["Harbour jazz", "Northern film"]),
        ("q=jazz", [], ["Harbour jazz"]),
        ("q=chair", ["Chair of Bruno"], []),
        ("place=porto", [], ["Harbour jazz"]),
        ("place=augusta", ["Chair of Bruno"], []),
        ("category=film", [], ["Northern film"]),
        ("date=2027-03-05", ["Chair of Bruno"], ["Harbour jazz"]),  # a Friday
        ("date=2027-03-08", ["Chair of Bruno", "Study room"], []),  # a Monday
    ],
)
def test_filters(
    client: Client, catalogue: dict[str, Any], query: str, resources: list[str], shows: list[str]
) -> None:
    response = client.get(f"/browse/?{query}")
    assert response.status_code == 200
    assert _names(response) == (resources, shows)


def test_a_closed_day_filters_the_resource_out(client: Client, catalogue: dict[str, Any]) -> None:
    day = datetime(2027, 3, 8).date()
    Closure.objects.create(resource=catalogue["room"], start_date=day, end_date=day)
    resources, _ = _names(client.get("/browse/?kind=room&date=2027-03-08"))
    assert resources == []


@pytest.mark.parametrize("query", ["kind=spaceship", "date=2027-13-45", "category=opera"])
def test_bad_filters_are_a_400_with_the_form_errors(
    client: Client, catalogue: dict[str, Any], query: str
) -> None:
    response = client.get(f"/browse/?{query}")
    assert response.status_code == 400
    assert response.context["form"].errors


def test_the_provider_page(client: Client, catalogue: dict[str, Any]) -> None:
    chair = catalogue["chair"]
    response = client.get(f"/providers/{chair.owner_id}/")
    assert [r.name for r in response.context["resources"]] == ["Chair of Bruno"]
    assert client.get("/providers/999999/").status_code == 404


def test_the_event_page_lists_shows_with_prices(client: Client, catalogue: dict[str, Any]) -> None:
    concert = catalogue["concert"]
    ShowPrice.objects.create(show=concert, category="front", amount=Decimal("25.00"))
    response = client.get(f"/events/{concert.event_id}/")
    body = response.content.decode()
    assert "Harbour jazz" in body
    assert "€25.00" in body
    assert f'href="/shows/{concert.pk}/"' in body
    assert "Europe/Lisbon" in body
    assert client.get("/events/999999/").status_code == 404


def test_the_venue_page(client: Client, catalogue: dict[str, Any]) -> None:
    response = client.get(f"/venues/{catalogue['hall'].pk}/")
    body = response.content.decode()
    assert "Porto docks" in body
    assert "Harbour jazz" in body
    empty = VenueFactory.create(name="No shows here")
    assert client.get(f"/venues/{empty.pk}/").status_code == 404


def test_prices_and_dates_in_spanish(client: Client, catalogue: dict[str, Any]) -> None:
    concert = catalogue["concert"]
    body = client.get(f"/events/{concert.event_id}/", HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "18,00\xa0€" in body
    assert "mar 2027" in body


HUGE = 10**30


@pytest.mark.parametrize(
    "url",
    [
        f"/resources/{HUGE}/",
        f"/providers/{HUGE}/",
        f"/events/{HUGE}/",
        f"/venues/{HUGE}/",
    ],
)
def test_huge_ids_are_404_pages(client: Client, url: str) -> None:
    assert client.get(url).status_code == 404


@pytest.mark.parametrize(
    "url", [f"/bookings/{HUGE}/", f"/bookings/{HUGE}/cancel/", f"/bookings/{HUGE}/calendar.ics"]
)
def test_huge_booking_ids_are_404_pages(signed_in: Client, url: str) -> None:
    assert signed_in.get(url).status_code == 404


def test_booking_a_huge_resource_id_is_refused(signed_in: Client) -> None:
    response = signed_in.post(f"/resources/{HUGE}/book/", {"start": "2027-03-02T09:00:00+00:00"})
    assert response.status_code == 404
