"""The provider's dashboard and walk-in board in Chromium: approve / decline / no-show, the
walk-in line joined through the page the QR code leads to, analytics opened by a provider and
an organizer with their own sign-in, axe on every page, and screenshots of bruno's demo."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from tessera.accounts.models import User
from tessera.accounts.roles import Role
from tessera.accounts.tests.factories import TEST_PASSWORD, UserFactory
from tessera.bookings.models import Booking, BookingStatusChange
from tessera.bookings.tests.factories import make_time_booking
from tessera.events.tests.factories import EventFactory, ShowFactory
from tessera.scheduling.tests.factories import make_resource
from tessera.walkins.models import WalkIn

from .helpers import assert_accessible, screenshots

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _booking(resource: Any, customer: Any, start: datetime, status: str) -> Booking:
    booking = make_time_booking(
        customer=customer,
        resources=[resource],
        start=start,
        end=start + timedelta(minutes=30),
        status=status,
    )
    BookingStatusChange.objects.create(booking=booking, from_status="", to_status=status, at=start)
    if status == "pending":
        booking.allocations.update(approved=False)
    return booking


def test_bruno_demo_dashboard_and_walk_in_board(new_page: Any, demo_data: None) -> None:
    page = new_page(user=User.objects.get(username="bruno"))
    page.goto("/dashboard/?view=week")
    page.get_by_role("heading", name="Dashboard").wait_for()
    assert page.locator("tr[id^=booking-]").count() >= 2
    assert page.get_by_text("times in Europe/Lisbon").first.is_visible()
    assert_accessible(page)
    screenshots(page, "dashboard-week")
    page.get_by_role("link", name="Today", exact=True).click()
    assert_accessible(page)
    screenshots(page, "dashboard-today")

    chair = User.objects.get(username="bruno").resources.get(name__startswith="Bruno")
    page.goto(f"/dashboard/walk-ins/{chair.pk}/")
    page.get_by_role("heading", name="Being served").wait_for()
    assert page.locator(".walkin-qr svg").count() == 1
    assert page.get_by_text("Marta").is_visible()
    assert_accessible(page)
    screenshots(page, "walkin-board")
    page.goto(f"/dashboard/walk-ins/{chair.pk}/tv/")
    page.get_by_role("heading", name="Now serving").wait_for()
    assert_accessible(page)
    screenshots(page, "walkin-tv")


def test_approve_decline_and_no_show(new_page: Any) -> None:
    provider = UserFactory(role=Role.PROVIDER, username="pia")
    customer = UserFactory(role=Role.CUSTOMER, username="carl")
    chair = make_resource(name="Pia's chair", owner=provider, timezone="UTC")
    now = datetime.now(UTC).replace(second=0, microsecond=0)
    started = _booking(chair, customer, now - timedelta(minutes=10), "confirmed")
    to_approve = _booking(chair, customer, now + timedelta(minutes=30), "pending")
    to_decline = _booking(chair, customer, now + timedelta(minutes=60), "pending")
    page = new_page(user=provider)
    page.goto(f"/dashboard/?day={started.starts_at:%Y-%m-%d}")
    if to_decline.starts_at.date() != started.starts_at.date():  # near midnight UTC
        pytest.skip("the bookings straddle midnight UTC")
    page.get_by_role("button", name=f"Approve {to_approve.reference}").click()
    page.get_by_text("The booking is approved.").wait_for()
    page.get_by_role("button", name=f"Decline {to_decline.reference}").click()
    page.get_by_text("The booking is declined").wait_for()
    page.get_by_role("button", name=f"No-show {started.reference}").click()
    page.get_by_text("marked as a no-show").wait_for()
    assert_accessible(page)
    statuses = dict(
        Booking.objects.filter(pk__in=[started.pk, to_approve.pk, to_decline.pk]).values_list(
            "pk", "status"
        )
    )
    assert statuses == {
        started.pk: "no_show",
        to_approve.pk: "confirmed",
        to_decline.pk: "declined",
    }


def test_walk_in_joined_by_the_qr_page_called_served_finished(new_page: Any) -> None:
    provider = UserFactory(role=Role.PROVIDER, username="tomas")
    UserFactory(role=Role.CUSTOMER, username="queue-ana", first_name="Ana")
    chair = make_resource(name="Tomas's chair", owner=provider, timezone="UTC")
    board = new_page(user=provider)
    board.goto(f"/dashboard/walk-ins/{chair.pk}/")
    join_url = board.locator(".walkin-qr a").get_attribute("href")
    assert join_url and join_url.endswith(f"/walk-in/{chair.pk}/")

    phone = new_page(width=390)
    phone.goto(join_url)
    assert_accessible(phone)
    phone.get_by_role("link", name="Sign in to join the line").click()
    phone.get_by_label("Username").fill("queue-ana")
    phone.get_by_label("Password").fill(TEST_PASSWORD)
    phone.get_by_role("button", name="Sign in").click()
    phone.get_by_role("button", name="Join the line").click()
    phone.get_by_text("You are number 1.").wait_for()
    assert phone.get_by_text("Estimated wait: no wait.").is_visible()
    screenshots(phone, "walkin-join")

    board.goto(f"/dashboard/walk-ins/{chair.pk}/")
    board.get_by_text("no wait").first.wait_for()
    board.get_by_role("button", name="Call next").click()
    board.get_by_text("Called.").wait_for()
    board.wait_for_timeout(1100)  # a service lasts at least a moment (walkin_finish_too_soon)
    board.get_by_role("button", name="Finish #1").click()
    board.get_by_text("Finished.").wait_for()
    walkin = WalkIn.objects.get(resource=chair)
    assert walkin.finished_at is not None and walkin.booking is not None


def test_provider_and_organizer_open_their_own_analytics(new_page: Any) -> None:
    provider = UserFactory(role=Role.PROVIDER, username="prov")
    other = UserFactory(role=Role.PROVIDER, username="other")
    organizer = UserFactory(role=Role.ORGANIZER, username="orga")
    now = datetime.now(UTC)
    _booking(
        make_resource(name="Prov room", owner=provider, timezone="UTC"), other, now, "confirmed"
    )
    _booking(
        make_resource(name="Other room", owner=other, timezone="UTC"), provider, now, "confirmed"
    )
    ShowFactory(event=EventFactory(owner=organizer, title="Orga gala"), starts_at=now)
    ShowFactory(event=EventFactory(title="Someone else's gala"), starts_at=now)
    for user, mine, theirs in (
        (provider, "Prov room", "Other room"),
        (organizer, "Orga gala", "Someone else's gala"),
    ):
        page = new_page()
        page.goto("/analytics/")
        assert "/account/sign-in/" in page.url
        page.get_by_label("Username").fill(user.username)
        page.get_by_label("Password").fill(TEST_PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.get_by_role("heading", name="Analytics").wait_for()
        html = page.content()
        assert mine in html and theirs not in html
