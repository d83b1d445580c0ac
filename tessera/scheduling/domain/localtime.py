"""Local wall time to UTC, made monotonic across daylight-saving changes.

Python maps a wall time in a spring-forward gap (02:30 in Berlin on the last Sunday of March)
to an instant *after* the next valid wall time, so a range 02:30-03:00 would end before it
starts. Here a time in a gap maps to the instant the clocks jump (the gap does not exist), and an
ambiguous time (the repeated hour in autumn) to its first occurrence. So a later wall time never
maps to an earlier instant, and "Mondays 9:00" is 9:00 local on both sides of a change.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo


def local_to_utc(local: datetime, tz: ZoneInfo) -> datetime:
    """The UTC instant of a naive local wall time in `tz` (see the module docstring)."""
    first = local.replace(tzinfo=tz, fold=0)
    utc = first.astimezone(UTC)
    if utc.astimezone(tz).replace(tzinfo=None) == local:
        return utc
    return _gap_transition(local, tz)


def _gap_transition(local: datetime, tz: ZoneInfo) -> datetime:
    """The instant the clocks jump over `local` (a wall time that does not exist in `tz`)."""
    before = local.replace(tzinfo=tz, fold=1).astimezone(UTC)  # earlier than the jump
    after = local.replace(tzinfo=tz, fold=0).astimezone(UTC)  # at or after the jump
    low, high = before, after
    target = after.astimezone(tz).utcoffset()
    while high - low > timedelta(seconds=1):
        middle = low + (high - low) / 2
        if middle.astimezone(tz).utcoffset() == target:
            high = middle
        else:
            low = middle
    return high.replace(microsecond=0)
