"""The demo that `make run` loads, seen by alice: every page shows something real, passes axe,
and is photographed for the docs."""

from __future__ import annotations

from typing import Any

import pytest

from tessera.accounts.models import User

from .helpers import assert_accessible, screenshots

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_alices_pages(new_page: Any, demo_data: None) -> None:
    page = new_page(user=User.objects.get(username="alice"))
    page.goto("/bookings/")
    cards = page.locator(".booking-card")
    assert cards.count() >= 3  # haircut, study group, the gig (pending) and a waiting place
    assert page.get_by_text("On the waiting list").first.is_visible()
    assert page.get_by_text("Pending").first.is_visible()
    assert_accessible(page)
    screenshots(page, "my-bookings")

    page.goto("/bookings/?show=past")
    assert page.get_by_text("Cancelled").first.is_visible()

    page.goto("/bookings/")
    page.get_by_role("link", name="Bruno (barber, Tessera Cuts)").first.click()
    page.get_by_role("heading", name="History").wait_for()
    assert_accessible(page)
    screenshots(page, "booking")

    page.goto("/browse/?kind=provider")
    page.get_by_role("link", name="Carla (barber, Tessera Cuts)").first.click()
    page.get_by_role("heading", name="Choose a time").wait_for()
    assert_accessible(page)
    screenshots(page, "slot-picker")

    page.goto("/account/")
    assert page.get_by_label("First name").input_value() == "Alice"
    assert_accessible(page)

    page.goto("/browse/")
    assert page.locator(".item-card").count() > 5
    assert_accessible(page)
    screenshots(page, "browse")
