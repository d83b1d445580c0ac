"""The checks shared by every write that takes time: the request's shape, the actor's rights on
the resources, and the slotting verdict (under the resources' locks)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings

from tessera.accounts.access import is_staff
from tessera.core.errors import ValidationFailed
from tessera.scheduling.domain.slotting import check_booking
from tessera.scheduling.errors import ResourceInactive
from tessera.scheduling.locks import resources_lock
from tessera.scheduling.models import Resource
from tessera.scheduling.selectors.times import default_duration

from ..errors import BookingRefused
from ..models import Booking
from ..selectors.availability import resource_times_fetch

MAX_GIG_RESOURCES = 10


def manages_all(actor: Any, resources: Sequence[Resource]) -> bool:
    """Staff, or the owner of every one of the resources."""
    return is_staff(actor) or all(r.owner_id == actor.pk for r in resources)


def request_span(
    *,
    start: datetime,
    end: datetime | None,
    duration: int | None,
    resources: Sequence[Resource],
) -> tuple[datetime, datetime]:
    """[start, end) of a request that gives an end, a duration (minutes), or neither (the
    longest default duration of the resources)."""
    if end is None:
        minutes = duration or max(default_duration(r) for r in resources)
        end = start + timedelta(minutes=minutes)
    if end <= start:
        raise ValidationFailed(
            "The booking must end after it starts.", code="end_before_start", field="end_time"
        )
    longest = settings.TESSERA["MAX_BOOKING_DAYS"]
    if end - start > timedelta(days=longest):
        raise ValidationFailed(
            f"A booking lasts at most {longest} days.", code="too_long", field="end_time"
        )
    for name, moment in (("start_time", start), ("end_time", end)):
        if moment.second or moment.microsecond:
            raise ValidationFailed("Times are whole minutes.", code="not_whole_minute", field=name)
    return start, end


def lock_resources(*, resource_ids: Sequence[int]) -> list[Resource]:
    """Lock the resources (pk order) and check they exist and take bookings."""
    resources = resources_lock(resource_ids=resource_ids)
    missing = sorted(set(resource_ids) - {r.pk for r in resources})
    if missing:
        field = "resource" if len(resource_ids) == 1 else "resources"
        raise ValidationFailed(
            f"No such resource: {', '.join(map(str, missing))}.",
            code="does_not_exist",
            field=field,
        )
    for resource in resources:
        if not resource.is_active:
            raise ResourceInactive(f"{resource.name} is not taking bookings.", resource=resource.pk)
    return resources


def ensure_time_free(
    *,
    resources: Sequence[Resource],
    start: datetime,
    end: datetime,
    now: datetime,
    enforce_notice: bool,
    exclude_booking_id: int | None = None,
) -> None:
    """Raise `BookingRefused` (409, with the reason's code) unless [start, end) may be booked
    on every resource. Caller holds the resources' locks."""
    times = resource_times_fetch(
        resources=resources, start=start, end=end, exclude_booking_id=exclude_booking_id
    )
    refusal = check_booking(
        [times[r.pk] for r in resources],
        start=start,
        end=end,
        now=now,
        enforce_notice=enforce_notice,
    )
    if refusal is not None:
        raise BookingRefused(refusal.message, code=refusal.code, resource=refusal.resource_id)


def allocations_recheck(*, booking: Booking, now: datetime | None = None) -> None:
    """Before a booking becomes live again: is its time still free? Caller holds its lock."""
    from tessera.core.clock import utcnow

    allocations = list(booking.allocations.all())
    if not allocations:
        return
    resources = lock_resources(resource_ids=[a.resource_id for a in allocations])
    ensure_time_free(
        resources=resources,
        start=booking.starts_at,
        end=booking.ends_at,
        now=now or utcnow(),
        enforce_notice=False,
        exclude_booking_id=booking.pk,
    )
