"""Booking without an account, signed manage links and embedding, in a real Chromium.

The emails are read from Django's locmem outbox after `deliver_outbox()` does what the Celery
worker does; times are the real clock (the picker offers the next free day)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
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
    assert page.get_by_text(
        "Enter the number with its country code"
    ).is_visible()  # refused on its field
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
# Two other sites on this machine (ports 8181-8182 of the 8180-8189 this project may use).
OWNER_SITE, OTHER_SITE = "http://127.0.0.1:8181", "http://127.0.0.1:8182"


@contextmanager
def host_site(origin: str, snippet: str) -> Iterator[None]:
    """A web server on `origin` whose every page embeds `snippet` (stopped afterwards)."""
    body = HOST_PAGE.format(snippet=snippet).encode()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", int(origin.rsplit(":", 1)[1])), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def test_the_embed_is_framed_by_an_allowed_site_and_refused_by_another(
    new_page: Any, barber: Any, live_server: Any
) -> None:
    embed_origins_set(owner=barber.owner, actor=barber.owner, origins=[OWNER_SITE])
    allowed = new_page()
    script = (
        f'<script src="{live_server.url}/static/web/js/embed.js" '
        f'data-resource="{barber.pk}" data-title="Book with Gil"></script>'
    )
    with host_site(OWNER_SITE, script):
        with allowed.expect_response(lambda r: "/embed/resources/" in r.url) as caught:
            allowed.goto(f"{OWNER_SITE}/")
        headers = caught.value.headers
        assert headers["content-security-policy"] == f"frame-ancestors 'self' {OWNER_SITE}"
        assert "x-frame-options" not in headers
        frame = allowed.frame_locator("iframe[title='Book with Gil']")
        frame.get_by_role("heading", name="Chair of Gil").wait_for()
        assert frame.locator(".slot-list a").first.get_attribute("target") == "_blank"

    other = new_page()
    src = f"{live_server.url}/embed/resources/{barber.pk}/"
    with host_site(OTHER_SITE, f'<iframe title="stolen" src="{src}"></iframe>'):
        with other.expect_response(lambda r: "/embed/resources/" in r.url) as refused:
            other.goto(f"{OTHER_SITE}/")
        assert refused.value.status == 200  # served, but the browser refuses to show it there
        assert OTHER_SITE not in refused.value.headers["content-security-policy"]
        other.wait_for_timeout(500)
        stolen = other.frame_locator("iframe[title='stolen']")
        assert stolen.get_by_role("heading", name="Chair of Gil").count() == 0
        assert other.get_by_role("heading", name="Gil's barber shop").is_visible()


def test_the_embed_page_passes_axe(new_page: Any, barber: Any) -> None:
    page = new_page()
    page.goto(f"/embed/resources/{barber.pk}/")
    assert_accessible(page)
