"""The show pages in a real Chromium: seats picked on the map, held with a countdown, booked,
and seen taken by a second browser; two browsers racing for one seat; the keyboard; general
admission; axe and screenshots of the seat map."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest

from tessera.bookings.models import Booking
from tessera.events.models import Seat, Show
from tessera.events.tests.factories import ReservedShowFactory, ShowFactory, set_price

from .helpers import assert_accessible, screenshots

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _fresh_seat_map_cache() -> Iterator[None]:
    from tessera.events.api.seatmap import clear_cache

    clear_cache()
    yield
    clear_cache()


@pytest.fixture
def show() -> Show:
    """A small cinema: rows A-F of 14 seats (an aisle after 7), premium rows E-F."""
    show = ReservedShowFactory.create(
        event__title="Northern Lights",
        seats={"rows": "A-D", "numbers": "1-14"},
        venue__name="Tessera Cinema",
    )
    hall = show.hall
    assert hall is not None
    premium = [
        Seat(hall=hall, row=row, number=n, row_position=pos, category="premium")
        for pos, row in ((4, "E"), (5, "F"))
        for n in range(1, 15)
    ]
    Seat.objects.bulk_create(premium)
    Seat.objects.filter(hall=hall, row="A", number__in=[1, 14]).update(accessible=True)
    Seat.objects.filter(hall=hall, row="D", number__in=[7, 8]).update(blocked=True)
    set_price(show, "standard", "11.50")
    set_price(show, "premium", "15.00")
    return show


def seat_id(show: Show, row: str, number: int) -> int:
    return Seat.objects.get(hall=show.hall, row=row, number=number).pk


def open_map(page: Any, show: Show) -> None:
    page.goto(f"/shows/{show.pk}/")
    page.wait_for_selector("#seatmap[data-ready=true]")


def held(page: Any, pk: int) -> None:
    page.wait_for_selector(f"#seat-{pk}[aria-checked=true]")


def shown_taken(page: Any, pk: int) -> None:
    page.wait_for_function(
        "id => document.getElementById('seat-' + id).classList.contains('is-taken')", arg=pk
    )


def test_two_seats_picked_held_with_a_countdown_booked_and_taken_for_another_browser(
    new_page: Any, show: Show, make_user: Any
) -> None:
    alice = new_page(user=make_user(username="alice"))
    other = new_page(user=make_user(username="bob"))
    open_map(other, show)
    open_map(alice, show)
    c6, c7 = seat_id(show, "C", 6), seat_id(show, "C", 7)
    alice.click(f"#seat-{c6}")
    held(alice, c6)
    alice.click(f"#seat-{c7}")
    held(alice, c7)
    timer = alice.locator(".hold-timer")
    assert re.fullmatch(r"Held for (10:00|9:[0-5]\d)", timer.inner_text().strip())
    assert "Row C, seat 7" in alice.locator("#seat-panel").inner_text()
    assert "€23.00" in alice.locator("#seat-panel").inner_text()
    shown_taken(other, c6)  # the other browser sees the hold by polling
    shown_taken(other, c7)
    assert_accessible(alice)
    alice.get_by_role("button", name="Book 2 seats").click()
    alice.wait_for_url("**/bookings/*/")
    assert "Booked. See you there!" in alice.locator("main").inner_text()
    booking = Booking.objects.get(customer__username="alice")
    assert booking.status == "confirmed"
    open_map(other, show)
    shown_taken(other, c6)
    shown_taken(other, c7)
    assert other.locator(f"#seat-{c6}").get_attribute("aria-disabled") == "true"


def test_two_browsers_race_for_one_seat_and_the_loser_is_told_plainly(
    new_page: Any, show: Show, make_user: Any
) -> None:
    first = new_page(user=make_user(username="first"))
    second = new_page(user=make_user(username="second"))
    open_map(first, show)
    open_map(second, show)
    b5 = seat_id(show, "B", 5)
    first.click(f"#seat-{b5}", no_wait_after=True)
    second.click(f"#seat-{b5}", no_wait_after=True)
    pages = (first, second)
    for page in pages:
        page.wait_for_function(
            "id => document.getElementById('seat-' + id).getAttribute('aria-checked') === 'true'"
            " || document.getElementById('seatmap-alert').textContent !== ''",
            arg=b5,
        )
    winners = [p for p in pages if p.locator(f"#seat-{b5}").get_attribute("aria-checked") == "true"]
    losers = [p for p in pages if p not in winners]
    assert len(winners) == 1 and len(losers) == 1
    alert = losers[0].locator("#seatmap-alert").inner_text()
    assert alert == "Row B, seat 5: just taken by someone else. Choose another seat."
    assert "is-taken" in (losers[0].locator(f"#seat-{b5}").get_attribute("class") or "")


def test_the_keyboard_moves_between_seats_and_chooses_one(
    new_page: Any, show: Show, make_user: Any
) -> None:
    page = new_page(user=make_user(username="keys"))
    open_map(page, show)
    page.locator("rect.seat[tabindex='0']").focus()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    focused = page.evaluate("() => document.activeElement.getAttribute('aria-label')")
    assert focused.startswith("Row B, seat 3, standard, €11.50")
    page.keyboard.press("Enter")
    held(page, seat_id(show, "B", 3))
    assert "Row B, seat 3" in page.locator("#seat-panel").inner_text()


def test_best_available_and_release(new_page: Any, show: Show, make_user: Any) -> None:
    page = new_page(user=make_user(username="best"))
    open_map(page, show)
    page.get_by_label("How many seats").select_option("3")
    page.get_by_label("Seat type").select_option("premium")
    page.get_by_role("button", name="Find the best seats").click()
    for number in (6, 7, 8):
        held(page, seat_id(show, "E", number))
    assert "€45.00" in page.locator("#seat-panel").inner_text()
    page.get_by_role("button", name="Release them").click()
    page.wait_for_selector("#no-seats")
    assert page.locator("rect.seat[aria-checked=true]").count() == 0


def test_general_admission_is_booked_by_quantity(new_page: Any, make_user: Any) -> None:
    show = ShowFactory.create(event__title="Open Booking Summit", capacity=300)
    page = new_page(user=make_user(username="ga"))
    page.goto(f"/shows/{show.pk}/")
    assert page.get_by_text("300 places left").is_visible()
    assert_accessible(page)
    page.get_by_label("How many tickets").select_option("2")
    page.get_by_role("button", name="Book tickets").click()
    page.wait_for_url("**/bookings/*/")
    assert "Booked. See you there!" in page.locator("main").inner_text()
    assert Booking.objects.get().ticket.quantity == 2


def test_the_demo_seat_map_and_conference_pass_axe_and_are_photographed(
    new_page: Any, demo_data: None
) -> None:
    from django.contrib.auth import get_user_model

    from tessera.events.demo import CONFERENCE, FILM

    alice = get_user_model().objects.get(username="alice")
    film = Show.objects.filter(event__title=FILM, hall__name="Screen 1").order_by("starts_at")[0]
    page = new_page(user=alice)
    open_map(page, film)
    assert page.locator("rect.seat.is-taken").count() == 16  # the demo's house seats
    for number in (8, 9):
        pk = seat_id(film, "E", number)
        page.click(f"#seat-{pk}")
        held(page, pk)
    page.evaluate("() => document.activeElement && document.activeElement.blur()")
    assert_accessible(page)
    screenshots(page, "seat-map")
    conference = Show.objects.get(event__title=CONFERENCE)
    page.goto(f"/shows/{conference.pk}/")
    assert page.get_by_text("260 places left").is_visible()
    assert_accessible(page)
    screenshots(page, "show-general-admission")
