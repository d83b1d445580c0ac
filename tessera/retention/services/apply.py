"""The retention job: apply `DATA_RETENTION_POLICY` to the finished bookings that are old enough.

Set-based and batched: each batch is one short transaction that locks up to BATCH_SIZE eligible
bookings (SKIP LOCKED), re-checks them, and archives, anonymises or deletes them with a few
statements. Batches walk the ids upwards, so the job ends even when another run holds rows.
Idempotent: a second run finds nothing left to do (archived and deleted rows are gone, and an
anonymised booking points at the placeholder customer, which the job skips).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import QuerySet

from tessera.bookings.models import Booking, BookingStatus
from tessera.core.clock import utcnow

from ..locks import bookings_lock_batch
from ..policy import RetentionPolicy, retention_policy
from .scrub import anonymous_customer, bookings_anonymise, bookings_archive, bookings_delete

FINISHED = [
    BookingStatus.COMPLETED,
    BookingStatus.CANCELLED,
    BookingStatus.DECLINED,
    BookingStatus.EXPIRED,
    BookingStatus.NO_SHOW,
]


@dataclass(frozen=True)
class RetentionResult:
    action: str
    cutoff: datetime
    processed: int
    batches: int


def retention_eligible(*, policy: RetentionPolicy, now: datetime) -> QuerySet[Booking]:
    """The bookings the policy applies to now: finished, ended before the cutoff."""
    cutoff = now - timedelta(days=policy.after_days)
    eligible = Booking.objects.filter(status__in=FINISHED, ends_at__lt=cutoff)
    if policy.action == "anonymise":
        eligible = eligible.exclude(customer=anonymous_customer())
    return eligible


def retention_apply(
    *,
    policy: RetentionPolicy | None = None,
    now: datetime | None = None,
    progress: Callable[[int], None] | None = None,
) -> RetentionResult:
    """Apply the policy (default: the configured one); `progress(done)` after each batch."""
    policy = policy or retention_policy()
    now = now or utcnow()
    cutoff = now - timedelta(days=policy.after_days)
    if policy.action == "none":
        return RetentionResult(policy.action, cutoff, 0, 0)
    eligible = retention_eligible(policy=policy, now=now)
    done = batches = 0
    after = 0
    while True:
        ids = list(
            eligible.filter(pk__gt=after)
            .order_by("pk")
            .values_list("pk", flat=True)[: policy.batch_size]
        )
        if not ids:
            break
        after = ids[-1]
        with transaction.atomic():
            locked = bookings_lock_batch(eligible=eligible, ids=ids)
            if locked:
                done += _act(policy, locked, now)
        batches += 1
        if progress is not None:
            progress(done)
    return RetentionResult(policy.action, cutoff, done, batches)


def _act(policy: RetentionPolicy, ids: list[int], now: datetime) -> int:
    if policy.action == "archive":
        return bookings_archive(ids=ids, now=now)
    if policy.action == "anonymise":
        return bookings_anonymise(ids=ids)
    return bookings_delete(ids=ids)
