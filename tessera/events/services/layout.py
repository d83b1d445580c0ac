"""Applying a seat layout to a hall: create, update and remove seats in one transaction."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F

from tessera.accounts.access import ensure_can
from tessera.core.errors import ValidationFailed

from .. import conf
from ..domain.layout import SeatSpec
from ..errors import LayoutInUse
from ..models import Hall, Seat, SeatClaim


@dataclass(frozen=True)
class LayoutResult:
    created: int
    updated: int
    removed: int
    total: int


def hall_layout_apply(*, hall: Hall, actor: Any, seats: Sequence[SeatSpec]) -> LayoutResult:
    """Make the hall's seats exactly `seats` (matched by row and number).

    Seats that stay keep their id (and their bookings); their category, flags and position
    follow the layout. A seat that is missing from the new layout is removed, unless it was
    ever held or sold (`layout_in_use`): block it instead.
    """
    ensure_can(actor, "change", hall)
    if len(seats) > conf.max_seats_per_hall():
        raise ValidationFailed(
            f"A hall has at most {conf.max_seats_per_hall()} seats.",
            code="too_many_seats",
            field="layout",
        )
    try:
        with transaction.atomic():
            list(Hall.objects.select_for_update().filter(pk=hall.pk).values_list("pk"))
            result = _apply(hall, seats)
    except IntegrityError as exc:  # a seat was claimed while we removed it
        raise LayoutInUse() from exc
    return result


def _apply(hall: Hall, specs: Sequence[SeatSpec]) -> LayoutResult:
    existing = {(seat.row, seat.number): seat for seat in Seat.objects.filter(hall=hall)}
    wanted = {spec.key: spec for spec in specs}
    gone = [seat for key, seat in existing.items() if key not in wanted]
    if gone:
        claimed = set(
            SeatClaim.objects.filter(seat__in=gone).values_list("seat_id", flat=True).distinct()
        )
        if claimed:
            labels = sorted(seat.label for seat in gone if seat.pk in claimed)
            raise LayoutInUse(
                f"Seats {', '.join(labels[:20])} have been held or sold; block them instead.",
                seats=labels,
            )
        Seat.objects.filter(pk__in=[seat.pk for seat in gone]).delete()
    changed = []
    for key, spec in wanted.items():
        seat = existing.get(key)
        if seat is None:
            continue
        new = (spec.row_position, spec.category, spec.accessible, spec.blocked)
        if (seat.row_position, seat.category, seat.accessible, seat.blocked) != new:
            seat.row_position, seat.category, seat.accessible, seat.blocked = new
            changed.append(seat)
    Seat.objects.bulk_update(
        changed, ["row_position", "category", "accessible", "blocked"], batch_size=1000
    )
    new_seats = [
        Seat(
            hall=hall,
            row=spec.row,
            number=spec.number,
            row_position=spec.row_position,
            category=spec.category,
            accessible=spec.accessible,
            blocked=spec.blocked,
        )
        for key, spec in wanted.items()
        if key not in existing
    ]
    Seat.objects.bulk_create(new_seats, batch_size=1000)
    if gone or changed or new_seats:
        Hall.objects.filter(pk=hall.pk).update(layout_version=F("layout_version") + 1)
    return LayoutResult(
        created=len(new_seats), updated=len(changed), removed=len(gone), total=len(wanted)
    )
