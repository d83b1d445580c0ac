"""Writes of a resource's availability: its weekly hours (replaced as a whole week), and dated
closures and extra openings (added and removed one by one). Owners and staff only.

Existing bookings are not touched by a change of availability: a closure over a booked time
keeps the booking (the owner decides whether to cancel it); new bookings follow the new rules.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, time
from typing import Any

from django.db import transaction

from tessera.core.dates import ensure_date
from tessera.core.errors import NotFound, ValidationFailed

from ..cache import availability_changed
from ..models import Closure, ExtraOpening, Resource, WeeklyHours
from ..models.availability import span_end, span_start
from ..selectors.resources import resource_get

MAX_WEEKLY_RANGES = 70
MAX_SPAN_DAYS = 366


def resource_hours_replace(
    *, resource_id: int, actor: Any, ranges: Sequence[tuple[int, time, time]]
) -> list[WeeklyHours]:
    """Replace the whole week with `ranges` of (weekday, start, end); an end not after its
    start runs past midnight. Overlapping ranges are allowed (they are merged when slots are
    computed); at most 70 ranges."""
    if len(ranges) > MAX_WEEKLY_RANGES:
        raise ValidationFailed(
            f"At most {MAX_WEEKLY_RANGES} weekly ranges.", code="too_many_ranges", field="hours"
        )
    with transaction.atomic():
        resource = resource_get(resource_id=resource_id, actor=actor, action="change")
        WeeklyHours.objects.filter(resource=resource).delete()
        rows = WeeklyHours.objects.bulk_create(
            WeeklyHours(resource=resource, weekday=day, start_time=start, end_time=end)
            for day, start, end in sorted(ranges)
        )
        availability_changed(resource_ids=[resource.pk])
    return rows


def _span_add[SpanModel: (Closure, ExtraOpening)](
    model: type[SpanModel],
    *,
    resource_id: int,
    actor: Any,
    start_date: date,
    end_date: date | None = None,
    start_time: time | None = None,
    end_time: time | None = None,
    reason: str = "",
) -> SpanModel:
    ensure_date(start_date, field="start_date")
    end_date = ensure_date(end_date or start_date, field="end_date")
    start, end = span_start(start_date, start_time), span_end(end_date, end_time)
    if end <= start:
        raise ValidationFailed(
            "The span must end after it starts.", code="end_before_start", field="end_date"
        )
    if (end - start).days > MAX_SPAN_DAYS:
        raise ValidationFailed(
            f"A span covers at most {MAX_SPAN_DAYS} days.", code="span_too_long", field="end_date"
        )
    resource = resource_get(resource_id=resource_id, actor=actor, action="change")
    span = model.objects.create(
        resource=resource,
        start_date=start_date,
        start_time=start_time,
        end_date=end_date,
        end_time=end_time,
        reason=reason,
    )
    availability_changed(resource_ids=[resource.pk])
    return span


def _span_delete[SpanModel: (Closure, ExtraOpening)](
    model: type[SpanModel], *, resource_id: int, span_id: int, actor: Any
) -> None:
    resource = resource_get(resource_id=resource_id, actor=actor, action="change")
    deleted, _ = model.objects.filter(resource=resource, pk=span_id).delete()
    if not deleted:
        raise NotFound(f"No such {model._meta.verbose_name}.")
    availability_changed(resource_ids=[resource.pk])


def resource_closure_add(*, resource_id: int, actor: Any, **span: Any) -> Closure:
    """Close the resource for a dated span of local time (time off, a holiday, a blocked hour)."""
    return _span_add(Closure, resource_id=resource_id, actor=actor, **span)


def resource_closure_delete(*, resource_id: int, closure_id: int, actor: Any) -> None:
    _span_delete(Closure, resource_id=resource_id, span_id=closure_id, actor=actor)


def resource_opening_add(*, resource_id: int, actor: Any, **span: Any) -> ExtraOpening:
    """Open the resource for a dated span of local time beyond its weekly hours."""
    return _span_add(ExtraOpening, resource_id=resource_id, actor=actor, **span)


def resource_opening_delete(*, resource_id: int, opening_id: int, actor: Any) -> None:
    _span_delete(ExtraOpening, resource_id=resource_id, span_id=opening_id, actor=actor)


__all__ = [
    "Resource",
    "resource_closure_add",
    "resource_closure_delete",
    "resource_hours_replace",
    "resource_opening_add",
    "resource_opening_delete",
]
