"""The API part of scripts/ci/docker-smoke.sh (standard library only, runs on the host).

    smoke_api.py book BASE_URL          -> prints "<booking id> <reference>"
    smoke_api.py check BASE_URL ID REF  -> exits 0 when the booking is still there, unchanged

It signs in as the demo customer, finds a free hour of the demo tennis court and books it.
"""

from __future__ import annotations

import json
import sys
import urllib.error
import urllib.request
from typing import Any

USER, PASSWORD = "alice", "tessera-demo-2026"


def call(base: str, method: str, path: str, body: Any = None, token: str = "") -> Any:
    request = urllib.request.Request(  # noqa: S310 - the base is the smoke test's own loopback URL
        base.rstrip("/") + path,
        method=method,
        data=None if body is None else json.dumps(body).encode(),
        headers={"Content-Type": "application/json", "Accept": "application/json"},
    )
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
            return json.load(response)
    except urllib.error.HTTPError as exc:
        sys.exit(f"{method} {path}: {exc.code} {exc.read().decode(errors='replace')}")


def sign_in(base: str) -> str:
    return str(
        call(base, "POST", "/api/auth/token/", {"username": USER, "password": PASSWORD})["access"]
    )


def book(base: str) -> None:
    token = sign_in(base)
    resources = call(base, "GET", "/api/resources/?page_size=100", token=token)["results"]
    court = next(r for r in resources if r["name"] == "Academy tennis court")
    slots = call(
        base, "GET", f"/api/resources/{court['id']}/availability/?duration=60", token=token
    )["slots"]
    free = [s for s in slots if s["places_left"] > 0]
    if not free:
        sys.exit("no free slot on the demo court this week")
    # The last free hour of the week: far from "now", so minimum notice never refuses it.
    booking = call(
        base,
        "POST",
        "/api/bookings/",
        {"resource": court["id"], "start_time": free[-1]["start"], "duration": 60},
        token=token,
    )
    assert booking["status"] in {"confirmed", "pending"}, booking
    print(booking["id"], booking["reference"])


def check(base: str, booking_id: str, reference: str) -> None:
    booking = call(base, "GET", f"/api/bookings/{booking_id}/", token=sign_in(base))
    if booking["reference"] != reference:
        sys.exit(f"booking {booking_id} has reference {booking['reference']}, not {reference}")
    print(f"booking {reference} is still there ({booking['status']})")


if __name__ == "__main__":
    command, base, *rest = sys.argv[1:]
    book(base) if command == "book" else check(base, *rest)
