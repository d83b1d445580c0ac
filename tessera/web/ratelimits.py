"""Rate limits of the pages, per client address, read from `WEB_RATE_LIMITS` at request time
(so settings and tests decide); a refused request gets `RATELIMIT_VIEW`'s 429 page."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django_ratelimit import ALL
from django_ratelimit.core import is_ratelimited
from django_ratelimit.decorators import ratelimit


def _rate(name: str) -> Any:
    return lambda group, request: settings.WEB_RATE_LIMITS[name]


def over_limit(request: HttpRequest, name: str) -> bool:
    """Count this request against `WEB_RATE_LIMITS[name]`; True once past it (for a view that
    limits only some of its POSTs, e.g. the guest details, not the choice of a slot)."""
    return bool(
        is_ratelimited(
            request,
            group=f"web.{name}",
            key="ip",
            rate=settings.WEB_RATE_LIMITS[name],
            method=ALL,
            increment=True,
        )
    )


def limit_all(name: str) -> Any:
    """Every method: signed-link pages are limited on GET too, so tokens cannot be tried fast."""
    return ratelimit(key="ip", rate=_rate(name), method=ALL, block=True, group=f"web.{name}")
