"""A small HTTP client on the standard library, for providers and webhooks (no extra package)."""

from __future__ import annotations

import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from urllib.parse import urlsplit


@dataclass(frozen=True)
class HttpResult:
    status: int
    body: str
    duration_ms: int


class HttpTransportError(Exception):
    """No HTTP answer at all: refused, timed out, bad TLS, unknown host."""


def http_post(
    url: str, *, body: bytes, headers: dict[str, str], timeout: float, max_body: int = 2000
) -> HttpResult:
    """POST and return the status and (the start of) the answer, whatever the status."""
    if urlsplit(url).scheme not in ("http", "https"):
        raise HttpTransportError(f"only http and https URLs are allowed, not {url!r}")
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")  # noqa: S310
    started = time.monotonic()
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            status = response.status
            text = response.read(max_body).decode("utf-8", errors="replace")
    except urllib.error.HTTPError as exc:
        status = exc.code
        text = exc.read(max_body).decode("utf-8", errors="replace") if exc.fp else ""
    except (urllib.error.URLError, OSError, ValueError) as exc:
        raise HttpTransportError(str(getattr(exc, "reason", exc))) from exc
    return HttpResult(status, text, int((time.monotonic() - started) * 1000))
