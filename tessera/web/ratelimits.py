"""Rate limits of the pages, per client address, read from `WEB_RATE_LIMITS` at request time
(so settings and tests decide); a refused request gets `RATELIMIT_VIEW`'s 429 page."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django_ratelimit import ALL
from django_ratelimit.decorators import ratelimit


def _rate(name: str) -> Any:
    return lambda group, request: settings.WEB_RATE_LIMITS[name]


def limit_posts(name: str) -> Any:
    return ratelimit(key="ip", rate=_rate(name), method="POST", block=True, group=f"web.{name}")


def limit_all(name: str) -> Any:
    """Every method: signed-link pages are limited on GET too, so tokens cannot be tried fast."""
    return ratelimit(key="ip", rate=_rate(name), method=ALL, block=True, group=f"web.{name}")
