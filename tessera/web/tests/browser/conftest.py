"""Browser tests: Playwright for Python driving Debian's Chromium against a live server.

Playwright's sync API runs an event loop in the test thread, and Django refuses ORM calls from
a thread with a running loop; DJANGO_ALLOW_ASYNC_UNSAFE is set for these tests only (in the
`browser` fixture), never globally. The server itself runs in its own thread.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from .helpers import CHROMIUM, LAUNCH_ARGS, sign_in_context


@pytest.fixture(scope="session")
def live_server(django_db_setup: None) -> Iterator[Any]:
    """pytest-django's live server, started only once the test database exists. Started before
    (as pytest-django's own fixture may be), it sees SQLite's `:memory:` name and hands the test
    thread's connection to every request thread it runs: two requests at once then crash SQLite
    (the seat map's polling and a click do that)."""
    from pytest_django.live_server_helper import LiveServer

    server = LiveServer(os.environ.get("DJANGO_LIVE_TEST_SERVER_ADDRESS") or "localhost")
    yield server
    server.stop()


@pytest.fixture
def browser(live_server: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """A headless Chromium for one test (closed after it)."""
    from playwright.sync_api import sync_playwright

    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(f"{CHROMIUM} is missing: scripts/test.sh installs Debian's chromium package")
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=LAUNCH_ARGS
        )
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def new_page(browser: Any, live_server: Any) -> Iterator[Callable[..., Any]]:
    """`new_page(user=None, width=1280, locale="en-US")`: a page in a browser context of its own
    (its own cookies: two pages are two people), optionally already signed in as `user`."""
    contexts: list[Any] = []

    def make(
        *, user: Any = None, width: int = 1280, height: int = 900, locale: str = "en-US"
    ) -> Any:
        context = browser.new_context(
            base_url=live_server.url,
            viewport={"width": width, "height": height},
            locale=locale,
            timezone_id="Europe/Madrid",
        )
        context.set_default_timeout(15_000)
        contexts.append(context)
        if user is not None:
            sign_in_context(context, user, live_server.url)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def demo_data(settings: Any, tmp_path: Any) -> None:
    """`manage.py seed_demo` (what `make run` shows), its admin password file in a temp folder."""
    from io import StringIO

    from django.core.management import call_command

    settings.DATA_DIR = tmp_path
    call_command("seed_demo", stdout=StringIO())


@pytest.fixture
def page(new_page: Callable[..., Any]) -> Any:
    """An anonymous page at desktop width."""
    return new_page()
