"""Booking without an account, signed manage links and embedding, in a real Chromium.

The emails are read from Django's locmem outbox after `deliver_outbox()` does what the Celery
worker does; times are the real clock (the picker offers the next free day)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
import time_machine

from tessera.bookings.models import Booking, BookingStatus
from tessera.bookings.services.create import booking_create_time
from tessera.core.clock import utcnow
from tessera.scheduling.tests.factories import make_resource
from tessera.web.services.embed import embed_origins_set
from tessera.web.services.links import VIEW, link_path

from ..mailbox import deliver_outbox, emails_to, link
from .helpers import assert_accessible, screenshots

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def barber() -> Any:
    return make_resource(
        name="Chair of Gil",
        kind="provider",
        location="Rua Augusta 120, Lisbon",
        guest_booking=True,
        cancellation_deadline=60,
    )


def _first_free_slot(page: Any) -> None:
    page.locator(".slot-list button.slot:not(.slot-full)").first.click()


def test_guest_booking_through_the_emailed_link(new_page: Any, barber: Any) -> None:
    page = new_page()
    page.goto(f"/resources/{barber.pk}/")
    assert page.get_by_text("No account needed").is_visible()
    _first_free_slot(page)
    page.wait_for_url(f"**/resources/{barber.pk}/guest/?start=*")
    assert page.get_by_role("heading", name="Book without an account").is_visible()
    assert_accessible(page)
    screenshots(page, "guest-booking")
    page.get_by_label("Your name").fill("Gil Guest")
    page.get_by_label("Email").fill("gil@example.com")
    page.get_by_label("Phone").fill("bad")
    page.get_by_role("button", name="Hold this time").click()
    assert page.get_by_text("Enter a phone number").is_visible()  # refused on its field
    page.get_by_label("Phone").fill("+351 912 345 678")
    page.get_by_role("button", name="Hold this time").click()
    page.get_by_role("heading", name="Check your email").wait_for()
    assert_accessible(page)
    assert Booking.objects.get().status == BookingStatus.PENDING

    deliver_outbox()
    [email] = emails_to("gil@example.com")
    page.goto(link(email, "/guest/confirm/"))
    assert_accessible(page)
    page.get_by_role("button", name="Confirm my email and booking").click()
    page.wait_for_url("**/manage/*/")
    assert page.get_by_role("status").get_by_text("your email is confirmed").is_visible()
    assert page.locator(".page-head .badge").inner_text() == "Confirmed"
    assert_accessible(page)
    assert Booking.objects.get().status == BookingStatus.CONFIRMED


def test_cancel_through_a_manage_link(new_page: Any, barber: Any, make_user: Any) -> None:
    customer = make_user(email="cora@example.com")
    start = (utcnow() + timedelta(days=2)).replace(hour=10, minute=0, second=0, microsecond=0)
    booking = booking_create_time(actor=customer, resource_ids=[barber.pk], start=start)
    deliver_outbox()
    [email] = emails_to("cora@example.com")
    page = new_page()  # not signed in
    page.goto(link(email, "/cancel/"))
    assert page.get_by_role("heading", name="The cancellation rule").is_visible()
    assert page.get_by_text("Free cancellation until").is_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Yes, cancel it").click()
    page.wait_for_url("**/manage/*/")
    assert page.locator(".page-head .badge").inner_text() == "Cancelled"
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED
    page.goto(link(email, "/cancel/"))  # the same link again
    assert page.get_by_text("each cancel or move link works once").is_visible()


def test_a_manage_link_used_after_expiry_is_refused(
    new_page: Any, barber: Any, make_user: Any
) -> None:
    customer = make_user()
    start = (utcnow() + timedelta(days=40)).replace(hour=10, minute=0, second=0, microsecond=0)
    booking = booking_create_time(actor=customer, resource_ids=[barber.pk], start=start)
    view = link_path(booking=booking, action=VIEW)
    page = new_page()
    assert page.goto(view).status == 200
    with time_machine.travel(utcnow() + timedelta(days=31), tick=True):
        response = page.goto(view)
        assert response.status == 410
        assert page.get_by_role("alert").inner_text().startswith("This link has expired")
        assert_accessible(page)


HOST_PAGE = """<!doctype html><html lang="en"><head><title>Cuts</title></head><body>
<h1>Gil's barber shop</h1>{snippet}</body></html>"""


def _serve_host(page: Any, origin: str, snippet: str) -> None:
    page.route(
        f"{origin}/",
        lambda route: route.fulfill(
            status=200, content_type="text/html", body=HOST_PAGE.format(snippet=snippet)
        ),
    )


def test_the_embed_is_framed_by_an_allowed_site_and_refused_by_another(
    new_page: Any, barber: Any, live_server: Any
) -> None:
    embed_origins_set(owner=barber.owner, actor=barber.owner, origins=["https://cuts.example"])
    allowed = new_page()
    script = (
        f'<script src="{live_server.url}/static/web/js/embed.js" '
        f'data-resource="{barber.pk}" data-title="Book with Gil"></script>'
    )
    _serve_host(allowed, "https://cuts.example", script)
    with allowed.expect_response(lambda r: "/embed/resources/" in r.url) as caught:
        allowed.goto("https://cuts.example/")
    headers = caught.value.headers
    assert headers["content-security-policy"] == "frame-ancestors 'self' https://cuts.example"
    assert "x-frame-options" not in headers
    frame = allowed.frame_locator("iframe[title='Book with Gil']")
    frame.get_by_role("heading", name="Chair of Gil").wait_for()
    assert frame.locator(".slot-list a").first.get_attribute("target") == "_blank"

    other = new_page()
    iframe = (
        f'<iframe title="stolen" src="{live_server.url}/embed/resources/{barber.pk}/"></iframe>'
    )
    _serve_host(other, "https://elsewhere.example", iframe)
    with other.expect_response(lambda r: "/embed/resources/" in r.url) as refused:
        other.goto("https://elsewhere.example/")
    assert refused.value.status == 200  # served, but the browser refuses to show it here
    other.wait_for_timeout(300)
    shown = other.frame_locator("iframe[title='stolen']").get_by_role(
        "heading", name="Chair of Gil"
    )
    assert shown.count() == 0


def test_the_embed_page_passes_axe(new_page: Any, barber: Any) -> None:
    page = new_page()
    page.goto(f"/embed/resources/{barber.pk}/")
    assert_accessible(page)
