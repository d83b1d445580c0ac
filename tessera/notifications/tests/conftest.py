"""Fixtures of the notifications suites: booking events, a fake HTTP server on 127.0.0.1."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

START = datetime(2030, 5, 6, 9, 0, tzinfo=UTC)


def booking_event(event_type: str = "booking.confirmed", **overrides: Any) -> dict[str, Any]:
    """A booking event as the booking services publish it."""
    event: dict[str, Any] = {
        "type": event_type,
        "booking_id": 41,
        "reference": "K7M2P9QX4T",
        "kind": "time",
        "status": event_type.split(".")[1],
        "customer_id": 0,
        "starts_at": START.isoformat(),
        "ends_at": (START + timedelta(minutes=30)).isoformat(),
        "timezone": "Europe/Madrid",
        "title": "Haircut with Bruno",
        "location": "Calle Mayor 1, Madrid",
    }
    event.update(overrides)
    return event


class FakeServer:
    """Records every POST; answers with the next status of `statuses` (then the last one)."""

    def __init__(self) -> None:
        self.requests: list[dict[str, Any]] = []
        self.statuses: list[int] = [200]
        self.answer: dict[str, Any] = {"sid": "SM123"}
        # Called (if set) after a request is read and before it is answered.
        self.on_request: Any = None
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                outer.requests.append(
                    {
                        "path": self.path,
                        "headers": dict(self.headers.items()),
                        "body": self.rfile.read(length),
                    }
                )
                if outer.on_request is not None:
                    outer.on_request()
                status = outer.statuses.pop(0) if len(outer.statuses) > 1 else outer.statuses[0]
                payload = json.dumps(outer.answer).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, format: str, *args: Any) -> None:
                return

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def fake_server() -> Iterator[FakeServer]:
    server = FakeServer()
    yield server
    server.close()
