"""The show pages: what a show page tells, general admission booked by quantity (or the
waiting list), and the seat list that works without JavaScript."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from tessera.bookings.models import Booking
from tessera.events.models import Seat, Show
from tessera.events.tests.factories import ReservedShowFactory, ShowFactory, set_price

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_seat_map_cache() -> Any:
    from tessera.events.api.seatmap import clear_cache

    clear_cache()
    yield
    clear_cache()


@pytest.fixture
def ga_show() -> Show:
    return ShowFactory.create(capacity=3, event__title="Open Booking Summit")


@pytest.fixture
def seated_show() -> Show:
    show = ReservedShowFactory.create(event__title="Northern Lights")
    set_price(show, "standard", "11.50")
    Seat.objects.filter(hall=show.hall, row="A", number=1).update(accessible=True)
    Seat.objects.filter(hall=show.hall, row="C", number=4).update(blocked=True)
    return show


def test_a_general_admission_page_names_time_zone_price_and_places(
    client: Client, ga_show: Show
) -> None:
    page = client.get(f"/shows/{ga_show.pk}/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Open Booking Summit" in text
    assert "(Europe/Berlin)" in text
    assert "€20.00" in text
    assert "3 places left" in text
    assert "You will be asked to sign in first." in text


def test_booking_places_needs_a_session(client: Client, ga_show: Show) -> None:
    answer = client.post(f"/shows/{ga_show.pk}/book/", {"quantity": 1})
    assert answer.status_code == 302
    assert answer["Location"].startswith("/account/sign-in/")
    assert not Booking.objects.exists()


def test_places_are_booked_and_the_booking_page_follows(signed_in: Client, ga_show: Show) -> None:
    answer = signed_in.post(f"/shows/{ga_show.pk}/book/", {"quantity": 2}, follow=True)
    booking = Booking.objects.get()
    assert booking.status == "confirmed"
    assert answer.redirect_chain[-1][0] == f"/bookings/{booking.pk}/"
    assert "Booked. See you there!" in answer.content.decode()


def test_more_places_than_are_left_is_a_sentence_and_nothing_is_booked(
    signed_in: Client, ga_show: Show
) -> None:
    answer = signed_in.post(f"/shows/{ga_show.pk}/book/", {"quantity": 4}, follow=True)
    assert "There are not enough places left for that many." in answer.content.decode()
    assert not Booking.objects.exists()


@pytest.mark.parametrize("quantity", ["", "0", "abc", "-2", "101"])
def test_a_bad_quantity_is_refused_with_a_sentence(
    signed_in: Client, ga_show: Show, quantity: str
) -> None:
    answer = signed_in.post(f"/shows/{ga_show.pk}/book/", {"quantity": quantity}, follow=True)
    assert answer.status_code == 200
    assert "Choose how many tickets, from the list." in answer.content.decode()
    assert not Booking.objects.exists()


def test_a_sold_out_show_offers_the_waiting_list(
    signed_in: Client, ga_show: Show, make_user: Any
) -> None:
    other = Client()
    other.force_login(make_user(username="early"))
    other.post(f"/shows/{ga_show.pk}/book/", {"quantity": 3})
    page = signed_in.get(f"/shows/{ga_show.pk}/").content.decode()
    assert "Sold out" in page and "Join the waiting list" in page
    answer = signed_in.post(
        f"/shows/{ga_show.pk}/book/", {"quantity": 2, "waitlist": "on"}, follow=True
    )
    waiting = Booking.objects.get(customer__username="cora")
    assert waiting.status == "waitlisted"
    assert "You are on the waiting list." in answer.content.decode()


def test_an_unknown_show_is_a_404_page(client: Client) -> None:
    answer = client.get("/shows/999999/")
    assert answer.status_code == 404
    assert "That page or item does not exist" in answer.content.decode()


def test_the_seated_page_has_the_legend_and_the_map_settings(
    client: Client, seated_show: Show
) -> None:
    page = client.get(f"/shows/{seated_show.pk}/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Choose your seats" in text
    assert "Standard <strong>€11.50</strong>" in text
    assert f'"seatsUrl": "/api/shows/{seated_show.pk}/seats/"' in text
    assert '"signedIn": false' in text
    assert "seatmap.js" in text


def test_the_seat_list_shows_only_free_seats_for_sale(
    signed_in: Client, seated_show: Show, make_user: Any
) -> None:
    other = Client()
    other.force_login(make_user(username="early"))
    b1 = Seat.objects.get(hall=seated_show.hall, row="B", number=1)
    other.post(f"/shows/{seated_show.pk}/seats/select/", {"seat": [b1.pk]})
    text = signed_in.get(f"/shows/{seated_show.pk}/seats/").content.decode()
    assert f'value="{b1.pk}"' not in text  # held by someone else
    blocked = Seat.objects.get(hall=seated_show.hall, row="C", number=4)
    assert f'value="{blocked.pk}"' not in text
    a1 = Seat.objects.get(hall=seated_show.hall, row="A", number=1)
    assert f'value="{a1.pk}"' in text
    assert "accessible" in text


def test_the_seat_list_of_a_general_admission_show_goes_back_to_its_page(
    client: Client, ga_show: Show
) -> None:
    answer = client.get(f"/shows/{ga_show.pk}/seats/")
    assert answer.status_code == 302
    assert answer["Location"] == f"/shows/{ga_show.pk}/"
