"""The layout in a real Chromium: sign in through the form, the language switch, a11y, screenshots."""

from __future__ import annotations

from typing import Any

import pytest

from .helpers import assert_accessible, screenshots

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "a-long-passphrase-2026"


def test_sign_in_through_the_form_and_out_again(page: Any, make_user: Any) -> None:
    user = make_user(username="rosa")
    user.set_password(PASSWORD)
    user.save()
    page.goto("/")
    page.get_by_role("link", name="Sign in").click()
    assert_accessible(page)
    screenshots(page, "sign-in")
    page.get_by_label("Username").fill("rosa")
    page.get_by_label("Password").fill("wrong-password")
    page.get_by_role("button", name="Sign in").click()
    assert page.get_by_role("alert").is_visible()
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/")
    assert "Signed in as rosa" in page.locator("header").inner_text()
    page.get_by_role("button", name="Sign out").click()
    page.get_by_role("link", name="Sign in").wait_for()


def test_the_skip_link_is_the_first_stop_and_moves_focus_to_main(page: Any) -> None:
    page.goto("/")
    page.keyboard.press("Tab")
    focused = page.evaluate("() => document.activeElement.textContent.trim()")
    assert focused == "Skip to main content"
    page.keyboard.press("Enter")
    assert page.evaluate("() => location.hash") == "#main"


def test_switching_to_spanish_keeps_the_page(page: Any) -> None:
    page.goto("/account/sign-in/")
    page.get_by_label("Language").select_option("es")
    page.get_by_role("button", name="Change").click()
    page.wait_for_url("**/account/sign-in/")
    assert page.locator("html").get_attribute("lang") == "es"
    assert page.get_by_role("heading", name="Iniciar sesión").is_visible()
    assert_accessible(page)


def test_home_shows_the_demo_and_passes_axe(page: Any, demo_data: None) -> None:
    page.goto("/")
    assert page.get_by_role("heading", name="Book a time").is_visible()
    assert page.get_by_text("Bruno (barber, Tessera Cuts)").first.is_visible()
    assert page.get_by_role("link", name="Northern Lights").first.is_visible()
    assert_accessible(page)
    screenshots(page, "home")
