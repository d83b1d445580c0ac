"""The one source of "now": aware UTC datetimes only. Services take `now=None` and call this."""

from datetime import UTC, datetime


def utcnow() -> datetime:
    return datetime.now(tz=UTC)
