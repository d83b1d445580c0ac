"""The public flows in a real Chromium: book, see, move and cancel; the waiting list and its
offer; a keyboard-only booking; the pages in Spanish. axe checks and screenshots on the way."""

from __future__ import annotations

import re
from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from tessera.accounts.roles import Role
from tessera.bookings.models import Booking, BookingStatus
from tessera.bookings.services.create import booking_create_time
from tessera.scheduling.tests.factories import make_resource

from .helpers import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def room(make_user: Any) -> Any:
    return make_resource(
        name="Study room 7",
        kind="room",
        location="Tessera Academy, Lisbon",
        description="A quiet room with a whiteboard.",
        default_duration=60,
        owner=make_user(Role.PROVIDER, username="academy"),
    )


def test_browse_book_see_move_and_cancel(new_page: Any, make_user: Any, room: Any) -> None:
    customer = make_user(Role.CUSTOMER, username="ines")
    page = new_page(user=customer)
    page.goto("/browse/?kind=room")
    page.get_by_role("link", name="Study room 7").first.click()
    page.get_by_role("heading", name="Choose a time").wait_for()
    assert "the local time of the place" in page.locator(".zone-note").inner_text()
    assert_accessible(page)
    page.locator("button.slot:not(.slot-full)").first.click()
    page.get_by_text("Booked. See you there!").wait_for()
    booking = Booking.objects.get(customer=customer)
    first_start = booking.starts_at

    page.get_by_role("navigation", name="Main").get_by_role("link", name="My bookings").click()
    page.get_by_role("link", name="Study room 7").wait_for()
    assert_accessible(page)
    page.get_by_role("link", name="Study room 7").click()
    page.get_by_role("link", name="Move to another time").click()
    page.locator("button.slot:not(.slot-full)").nth(2).click()
    page.get_by_text("Moved. The new time is below.").wait_for()
    booking.refresh_from_db()
    assert booking.starts_at != first_start

    page.get_by_role("link", name="Cancel booking").click()
    page.get_by_role("heading", name="The cancellation rule").wait_for()
    page.get_by_role("button", name="Yes, cancel it").click()
    page.get_by_text("Cancelled. The time is free for someone else.").wait_for()
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED


def test_full_slot_waiting_list_then_an_offer_is_accepted(
    new_page: Any, make_user: Any, settings: Any
) -> None:
    settings.TESSERA = {**settings.TESSERA, "WAITLIST_PROMOTE_TO": "pending"}
    court = make_resource(
        name="Court 1",
        kind="court",
        default_duration=60,
        hours=[(d, time(9), time(10)) for d in range(7)],  # one slot a day
    )
    holder = make_user(Role.CUSTOMER, username="hugo")
    waiter = make_user(Role.CUSTOMER, username="wanda")
    zone = ZoneInfo(court.timezone)
    day = (timezone.now() + timedelta(days=2)).astimezone(zone).date()
    start = datetime.combine(day, time(9), tzinfo=zone)
    taken = booking_create_time(actor=holder, resource_ids=[court.pk], start=start)

    page = new_page(user=waiter)
    page.goto(f"/resources/{court.pk}/?date={day.isoformat()}")
    page.get_by_role("button", name=re.compile("Join the waiting list")).click()
    page.get_by_text("You are on the waiting list.").wait_for()
    assert "number 1 on the waiting list" in page.content()

    other = new_page(user=holder)
    other.goto(f"/bookings/{taken.pk}/cancel/")
    other.get_by_role("button", name="Yes, cancel it").click()
    other.get_by_text("Cancelled.").wait_for()

    page.goto("/bookings/")
    page.get_by_text("A place is offered to you").wait_for()
    page.get_by_role("link", name="Court 1").click()
    page.get_by_role("heading", name="A place is free for you").wait_for()
    page.get_by_role("button", name="Accept the place").click()
    page.get_by_text("Accepted. The place is yours.").wait_for()
    mine = Booking.objects.get(customer=waiter)
    assert mine.status == BookingStatus.CONFIRMED
    assert mine.starts_at == start


def test_a_keyboard_only_booking(new_page: Any, make_user: Any, room: Any) -> None:
    customer = make_user(Role.CUSTOMER, username="kiko")
    page = new_page(user=customer)
    page.goto(f"/resources/{room.pk}/")
    for _ in range(120):
        page.keyboard.press("Tab")
        focused = page.evaluate(
            "() => document.activeElement.className + '|' + document.activeElement.tagName"
        )
        if "slot" in focused and "slot-full" not in focused:
            break
    else:
        pytest.fail("Tab never reached a free slot")
    ring = page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle")
    assert ring != "none"  # the focus is visible
    page.keyboard.press("Enter")
    page.get_by_text("Booked. See you there!").wait_for()
    assert Booking.objects.filter(customer=customer, status=BookingStatus.CONFIRMED).count() == 1


def test_the_pages_in_spanish(new_page: Any, make_user: Any, room: Any) -> None:
    customer = make_user(Role.CUSTOMER, username="sofia")
    page = new_page(user=customer, locale="es-ES")
    page.goto("/")
    assert page.locator("html").get_attribute("lang") == "es"
    assert page.get_by_role("heading", name="Reservar una hora").is_visible()
    page.get_by_role("link", name="Study room 7").first.click()
    page.get_by_role("heading", name="Elige una hora").wait_for()
    assert "la hora local del lugar" in page.locator(".zone-note").inner_text()
    month = page.locator("#month-title").inner_text().lower()
    assert re.search(
        r"(enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|octubre|noviembre|diciembre)( de)? \d{4}",
        month,
    )
    assert_accessible(page)
    page.locator("button.slot:not(.slot-full)").first.click()
    page.get_by_text("Reservado. ¡Nos vemos allí!").wait_for()
    page.get_by_role("navigation", name="Principal").get_by_role(
        "link", name="Mis reservas"
    ).click()
    page.get_by_role("heading", name="Mis reservas").wait_for()
    assert "Confirmada" in page.content()


def test_htmx_swaps_the_picker_without_a_reload(new_page: Any, make_user: Any, room: Any) -> None:
    page = new_page(user=make_user(Role.CUSTOMER, username="hana"))
    page.goto(f"/resources/{room.pk}/")
    page.evaluate("() => { window.notReloaded = true; }")
    page.get_by_role("link", name="Next month").click()
    page.wait_for_url(re.compile(r"month=\d{4}-\d{2}"))
    page.locator("a.day-free").nth(3).click()
    page.wait_for_url(re.compile(r"date=\d{4}-\d{2}-\d{2}"))
    assert page.evaluate("() => window.notReloaded") is True  # htmx swapped only the picker
    page.locator("button.slot:not(.slot-full)").first.click()
    page.get_by_text("Booked. See you there!").wait_for()
