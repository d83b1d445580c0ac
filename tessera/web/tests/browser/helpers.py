"""Helpers of the browser tests: launch flags, signing a context in, axe-core, screenshots."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

CHROMIUM = os.environ.get("TESSERA_CHROMIUM", "/usr/bin/chromium")
# Flags that work on this kind of machine (no GPU, no sandbox as root, no network but loopback).
LAUNCH_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
AXE_SCRIPT = Path(__file__).parent / "vendor" / "axe-4.14.1.min.js"
REPO = Path(__file__).resolve().parents[4]
WIDTHS = {"phone": (390, 844), "desktop": (1280, 900)}


def sign_in_context(context: Any, user: Any, base_url: str) -> None:
    """Give a browser context the session cookie of `user` (as if they had signed in)."""
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": base_url}]
    )


def assert_accessible(page: Any) -> None:
    """Run axe-core on the page; fail on any serious or critical violation, listing them."""
    page.add_script_tag(content=AXE_SCRIPT.read_text())
    result = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    bad = [v for v in result["violations"] if v["impact"] in ("serious", "critical")]
    report = [
        {
            "id": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "nodes": [node["target"] for node in v["nodes"][:5]],
        }
        for v in bad
    ]
    assert not bad, f"axe found serious/critical violations on {page.url}:\n" + json.dumps(
        report, indent=2
    )


def screenshot_dir() -> Path:
    """docs/screenshots with TESSERA_SCREENSHOTS=1 (to refresh the docs), else a temp folder."""
    if os.environ.get("TESSERA_SCREENSHOTS") == "1":
        return REPO / "docs" / "screenshots"
    return Path(tempfile.gettempdir()) / "tessera-screenshots"


def screenshots(page: Any, name: str) -> list[Path]:
    """`<name>-phone.png` (390 px) and `<name>-desktop.png` (1280 px) of the whole page."""
    folder = screenshot_dir()
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    original = page.viewport_size
    for label, (width, height) in WIDTHS.items():
        page.set_viewport_size({"width": width, "height": height})
        page.wait_for_timeout(50)  # one layout pass after the resize
        path = folder / f"{name}-{label}.png"
        page.screenshot(path=str(path), full_page=True, animations="disabled")
        assert path.stat().st_size > 0
        paths.append(path)
    if original:
        page.set_viewport_size(original)
    return paths
