"""The retry policy shared by the outbox, notifications and webhooks."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings


def max_attempts() -> int:
    return int(settings.NOTIFICATIONS["MAX_ATTEMPTS"])


def backoff(attempts: int) -> timedelta:
    """Wait after the `attempts`-th failure: base, 2x base, 4x base, ... capped."""
    conf = settings.NOTIFICATIONS
    base = int(conf["BACKOFF_BASE_SECONDS"])
    cap = int(conf["BACKOFF_MAX_SECONDS"])
    exponent = min(max(attempts, 1) - 1, 30)  # 2**30 * base is past any cap
    return timedelta(seconds=min(base * 2**exponent, cap))


def next_try(*, attempts: int, now: datetime) -> datetime | None:
    """When to try again after `attempts` failures, or None: give up (dead letter)."""
    if attempts >= max_attempts():
        return None
    return now + backoff(attempts)
