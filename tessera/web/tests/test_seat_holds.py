"""Holding seats from the seat map (JSON) or its list (a form), and booking them."""

from __future__ import annotations

from typing import Any

import pytest
import time_machine
from django.test import Client

from tessera.bookings.models import Booking
from tessera.core.clock import utcnow
from tessera.events.models import Hold, HoldState, Seat, SeatClaim, Show
from tessera.events.tests.factories import ReservedShowFactory, ShowFactory, set_price

pytestmark = pytest.mark.django_db
JSON = {"Accept": "application/json"}


@pytest.fixture(autouse=True)
def _fresh_seat_map_cache() -> Any:
    from tessera.events.api.seatmap import clear_cache

    clear_cache()
    yield
    clear_cache()


@pytest.fixture
def show() -> Show:
    show = ReservedShowFactory.create()
    set_price(show, "standard", "11.50")
    Seat.objects.filter(hall=show.hall, row="C", number=4).update(blocked=True)
    return show


def seat(show: Show, label: str) -> int:
    return Seat.objects.get(hall=show.hall, row=label[0], number=int(label[1:])).pk


def select(client: Client, show: Show, *labels: str, **extra: Any) -> Any:
    data: dict[str, Any] = {"seat": [seat(show, label) for label in labels], **extra}
    return client.post(f"/shows/{show.pk}/seats/select/", data, headers=JSON)


@pytest.fixture
def rival(make_user: Any) -> Client:
    client = Client()
    client.force_login(make_user(username="rival"))
    return client


def test_choosing_seats_one_by_one_keeps_one_hold_with_all_of_them(
    signed_in: Client, show: Show
) -> None:
    first = select(signed_in, show, "A1").json()
    assert first["seatIds"] == [seat(show, "A1")]
    assert 590 <= first["expiresIn"] <= 600
    second = select(signed_in, show, "A1", "A2").json()
    assert second["seatIds"] == sorted([seat(show, "A1"), seat(show, "A2")])
    assert "Row A, seat 2" in second["panel"] and "€23.00" in second["panel"]
    live = Hold.objects.filter(state=HoldState.ACTIVE)
    assert live.count() == 1 and live.get().quantity == 2
    assert Hold.objects.filter(state=HoldState.RELEASED).count() == 1


def test_deselecting_every_seat_releases_the_hold(signed_in: Client, show: Show) -> None:
    select(signed_in, show, "A1")
    body = select(signed_in, show).json()
    assert body["seatIds"] == [] and "No seats chosen yet" in body["panel"]
    assert not SeatClaim.objects.filter(is_live=True).exists()


def test_a_seat_someone_else_holds_is_refused_and_my_seats_stay_held(
    signed_in: Client, rival: Client, show: Show
) -> None:
    select(rival, show, "B2")
    select(signed_in, show, "A1")
    answer = select(signed_in, show, "A1", "B2")
    assert answer.status_code == 409
    body = answer.json()
    assert body["code"] == "seat_taken"
    assert body["message"] == "Someone else has just taken a seat you chose. Choose another seat."
    assert body["taken"] == [seat(show, "B2")]
    assert body["seatIds"] == [seat(show, "A1")]  # the earlier hold is untouched
    assert SeatClaim.objects.filter(seat_id=seat(show, "A1"), hold__isnull=False).exists()


def test_a_blocked_seat_is_refused(signed_in: Client, show: Show) -> None:
    answer = select(signed_in, show, "C4")
    assert answer.status_code == 409
    assert answer.json()["code"] == "seat_unavailable"
    assert not Hold.objects.exists()


@pytest.mark.parametrize("bad", [["x"], ["1", "1"], ["-3"], [str(10**15)]])
def test_bad_seat_values_are_a_400_with_a_sentence(
    signed_in: Client, show: Show, bad: list[str]
) -> None:
    answer = signed_in.post(f"/shows/{show.pk}/seats/select/", {"seat": bad}, headers=JSON)
    assert answer.status_code == 400
    assert answer.json()["code"] == "invalid"
    assert not Hold.objects.exists()


def test_a_seat_of_another_hall_is_a_400(signed_in: Client, show: Show) -> None:
    other = ReservedShowFactory.create()
    stranger = Seat.objects.filter(hall=other.hall).first()
    assert stranger is not None
    answer = signed_in.post(
        f"/shows/{show.pk}/seats/select/", {"seat": [stranger.pk]}, headers=JSON
    )
    assert answer.status_code == 400
    assert answer.json()["code"] == "unknown_seat"


def test_signed_out_visitors_are_asked_to_sign_in(client: Client, show: Show) -> None:
    answer = select(client, show, "A1")
    assert answer.status_code == 401
    assert answer.json() == {
        "code": "not_authenticated",
        "message": "Sign in to continue.",
        "taken": [],
    }
    form = client.post(f"/shows/{show.pk}/seats/select/", {"seat": [seat(show, "A1")]})
    assert form.status_code == 302 and form["Location"].startswith("/account/sign-in/")
    assert not Hold.objects.exists()


def test_a_general_admission_show_has_no_seats_to_choose(signed_in: Client) -> None:
    ga = ShowFactory.create()
    answer = signed_in.post(f"/shows/{ga.pk}/seats/select/", {"best": 2}, headers=JSON)
    assert answer.status_code == 409
    assert answer.json()["code"] == "wrong_seating"


def test_best_available_holds_seats_together_in_the_front_row(
    signed_in: Client, rival: Client, show: Show
) -> None:
    select(rival, show, "A2", "A3")  # row A has no two free seats side by side
    body = signed_in.post(f"/shows/{show.pk}/seats/select/", {"best": 2}, headers=JSON).json()
    assert body["seatIds"] == sorted([seat(show, "B2"), seat(show, "B3")])


def test_best_available_counts_my_own_seats_as_free_and_replaces_them(
    signed_in: Client, show: Show
) -> None:
    select(signed_in, show, "C1")
    body = signed_in.post(f"/shows/{show.pk}/seats/select/", {"best": 4}, headers=JSON).json()
    assert body["seatIds"] == [seat(show, f"A{n}") for n in range(1, 5)]
    assert Hold.objects.filter(state=HoldState.ACTIVE).count() == 1


def test_best_available_beyond_the_free_seats_is_capacity_exceeded(
    signed_in: Client, show: Show
) -> None:
    answer = signed_in.post(f"/shows/{show.pk}/seats/select/", {"best": 12}, headers=JSON)
    assert answer.status_code == 409
    assert answer.json()["message"] == "There are not enough places left for that many."


def test_best_available_of_an_unknown_category_is_a_400(signed_in: Client, show: Show) -> None:
    answer = signed_in.post(
        f"/shows/{show.pk}/seats/select/", {"best": 1, "category": "royal-box"}, headers=JSON
    )
    assert answer.status_code == 400
    assert answer.json()["code"] == "unknown_category"


def test_confirming_turns_the_hold_into_a_booking_of_those_seats(
    signed_in: Client, show: Show
) -> None:
    select(signed_in, show, "A1", "A2")
    answer = signed_in.post(f"/shows/{show.pk}/seats/confirm/", follow=True)
    booking = Booking.objects.get()
    assert answer.redirect_chain[-1][0] == f"/bookings/{booking.pk}/"
    assert booking.status == "confirmed"
    assert sorted(SeatClaim.objects.filter(booking=booking).values_list("seat_id", flat=True)) == (
        sorted([seat(show, "A1"), seat(show, "A2")])
    )
    assert Hold.objects.get(state=HoldState.CONSUMED).booking_id == booking.pk
    again = signed_in.post(f"/shows/{show.pk}/seats/confirm/", follow=True)
    assert "Your seats are no longer held. Choose them again." in again.content.decode()
    assert Booking.objects.count() == 1


def test_confirming_after_the_hold_lapsed_is_a_sentence_and_books_nothing(
    signed_in: Client, show: Show
) -> None:
    select(signed_in, show, "A1")
    with time_machine.travel(utcnow().timestamp() + 601, tick=False):
        answer = signed_in.post(f"/shows/{show.pk}/seats/confirm/", follow=True)
        assert "Your hold on these seats has run out." in answer.content.decode()
        assert not Booking.objects.exists()
        page = signed_in.get(f"/shows/{show.pk}/").content.decode()
    assert "No seats chosen yet" in page


def test_without_javascript_the_list_holds_and_the_page_shows_the_hold(
    signed_in: Client, show: Show
) -> None:
    answer = signed_in.post(
        f"/shows/{show.pk}/seats/select/", {"seat": [seat(show, "B1")]}, follow=True
    )
    text = answer.content.decode()
    assert "Your seats are held. Confirm them before the time runs out." in text
    assert "Row B, seat 1" in text and "Held until" in text and "Book 1 seat" in text
    listed = signed_in.get(f"/shows/{show.pk}/seats/").content.decode()
    assert f'value="{seat(show, "B1")}" checked' in listed
