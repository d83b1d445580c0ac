"""Time-driven transitions: what happens to bookings because a time passed, not because
someone asked. Due times live in the booking rows and are polled (beat, `tasks.py`); nothing
is scheduled ahead.

| rule | from | when | to |
|---|---|---|---|
| `expire` | pending | `confirm_deadline <= now` | expired |
| `waitlist_expire` | waitlisted | `starts_at <= now` (the time came while waiting) | expired |
| `complete` | confirmed, in_progress | `ends_at <= now` | completed |
| `start` | confirmed | `starts_at <= now < ends_at` | in_progress |

Each rule runs in batches: one short transaction locks up to `limit` due rows (ordered by pk;
`SKIP LOCKED` on PostgreSQL, so a row a person or another worker holds is left for the next
tick) and moves them with `lifecycle.booking_transition_batch` (the semantics of
`booking_transition`: what the bookings hold follows, a history row and an outbox event per
booking, in a fixed number of statements per batch), then promotes into the places they freed
with `promotion.waitlist_promote_after_freed_many`. A second run finds nothing: the rows are no
longer due.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q

from tessera.core.clock import utcnow
from tessera.core.errors import LockTimeout

from ..domain_events import booking_event_write
from ..lifecycle import booking_transition_batch
from ..locks import bookings_lock_due
from ..models import Booking, BookingStatus
from ..promotion import waitlist_promote_after_freed_many

S = BookingStatus
logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class TimedRule:
    name: str
    to: str
    due: Callable[[datetime], Q]
    reason: str


RULES: tuple[TimedRule, ...] = (
    TimedRule(
        "expire",
        S.EXPIRED,
        lambda now: Q(status=S.PENDING, confirm_deadline__lte=now),
        "not confirmed in time",
    ),
    TimedRule(
        "waitlist_expire",
        S.EXPIRED,
        lambda now: Q(status=S.WAITLISTED, starts_at__lte=now),
        "no place freed in time",
    ),
    TimedRule(
        "complete",
        S.COMPLETED,
        lambda now: Q(status__in=[S.CONFIRMED, S.IN_PROGRESS], ends_at__lte=now),
        "ended",
    ),
    TimedRule(
        "start",
        S.IN_PROGRESS,
        lambda now: Q(status=S.CONFIRMED, starts_at__lte=now, ends_at__gt=now),
        "started",
    ),
)
RULES_BY_NAME = {rule.name: rule for rule in RULES}


def _batch_size(limit: int | None) -> int:
    return limit if limit is not None else int(settings.TESSERA["TIMED_BATCH_SIZE"])


def booking_timed_batch(*, rule: TimedRule, now: datetime, limit: int) -> int:
    """Move one batch of bookings due under `rule`; returns how many moved. A batch that would
    wait for a waiting-list candidate someone else holds is rolled back (0): the rows stay
    due for the next tick."""
    try:
        with transaction.atomic():
            due = bookings_lock_due(condition=rule.due(now), limit=limit)
            for from_status, group in _by_status(due):
                booking_transition_batch(bookings=group, to=rule.to, reason=rule.reason, now=now)
                waitlist_promote_after_freed_many(
                    freed=group, from_status=from_status, to_status=rule.to, now=now
                )
            return len(due)
    except LockTimeout:
        logger.warning(
            "timed rule %s: a waiting-list candidate is busy; retrying next tick", rule.name
        )
        return 0


def _by_status(bookings: list[Booking]) -> list[tuple[str, list[Booking]]]:
    """The bookings grouped by the status they leave (a rule may move two: `complete`)."""
    groups: dict[str, list[Booking]] = {}
    for booking in bookings:
        groups.setdefault(booking.status, []).append(booking)
    return sorted(groups.items())


def bookings_advance_due(
    *,
    now: datetime | None = None,
    limit: int | None = None,
    max_batches: int | None = None,
    rules: tuple[TimedRule, ...] = RULES,
) -> dict[str, int]:
    """Run every rule (in the table's order, so a long-overdue booking is completed, not
    started) until nothing is due or `max_batches` batches ran; returns moved rows per rule.
    Idempotent and safe to run in parallel."""
    now = now or utcnow()
    size = _batch_size(limit)
    batches = max_batches if max_batches is not None else settings.TESSERA["TIMED_MAX_BATCHES"]
    moved: dict[str, int] = {}
    for rule in rules:
        moved[rule.name] = 0
        for _ in range(batches):
            done = booking_timed_batch(rule=rule, now=now, limit=size)
            moved[rule.name] += done
            if done < size:
                break
    return moved


def bookings_remind_due(
    *, now: datetime | None = None, limit: int | None = None, hours: int | None = None
) -> int:
    """Publish `booking.reminder` for confirmed bookings starting within `hours`
    (`TESSERA["REMINDER_HOURS"]`) that have not been reminded for that start; returns how many.

    Sent once per start time: `reminded_for` marks the row in the same transaction, and the
    outbox dedup key (`reminder:<reference>:<start>`) backs it up. A rescheduled booking is
    reminded again for its new time.
    """
    now = now or utcnow()
    hours = settings.TESSERA["REMINDER_HOURS"] if hours is None else hours
    if hours <= 0:
        return 0
    due = Q(status=S.CONFIRMED, starts_at__gt=now, starts_at__lte=now + timedelta(hours=hours))
    due &= Q(reminded_for__isnull=True) | ~Q(reminded_for=F("starts_at"))
    with transaction.atomic():
        bookings = bookings_lock_due(condition=due, limit=_batch_size(limit))
        for booking in bookings:
            booking_event_write(
                booking=booking,
                event_type="booking.reminder",
                dedup_key=f"reminder:{booking.reference}:{booking.starts_at.isoformat()}",
                now=now,
            )
        Booking.objects.filter(pk__in=[b.pk for b in bookings]).update(reminded_for=F("starts_at"))
        return len(bookings)
