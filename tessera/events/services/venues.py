"""Writes of venues, halls and single seats (layouts: `layout.py`)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F

from tessera.accounts.access import ensure_can
from tessera.core.errors import ValidationFailed

from ..domain.layout import SeatSpec
from ..models import Hall, Seat, Venue
from .common import ensure_timezone, resolve_owner

VENUE_FIELDS = ("name", "location", "capacity", "facilities", "timezone")


def venue_create(
    *,
    actor: Any,
    name: str,
    capacity: int,
    location: str = "",
    facilities: str = "",
    timezone: str = "UTC",
    owner: Any | None = None,
) -> Venue:
    """A new venue, owned by the actor (an organizer) or, when staff create it, by `owner`."""
    owner = resolve_owner(actor=actor, owner=owner)
    ensure_timezone(timezone)
    return Venue.objects.create(
        owner=owner,
        name=name,
        location=location,
        capacity=capacity,
        facilities=facilities,
        timezone=timezone,
    )


def venue_update(*, venue: Venue, actor: Any, **changes: Any) -> Venue:
    """Change name, location, capacity, facilities or time zone.

    A new time zone moves the local dates of the venue's shows with it (their instants stay).
    """
    ensure_can(actor, "change", venue)
    unknown = set(changes) - set(VENUE_FIELDS)
    if unknown:
        raise ValueError(f"venue_update got unknown fields: {sorted(unknown)}")
    if "timezone" in changes:
        ensure_timezone(changes["timezone"])
    with transaction.atomic():
        zone_changed = changes.get("timezone", venue.timezone) != venue.timezone
        for name, value in changes.items():
            setattr(venue, name, value)
        venue.save(update_fields=[*changes, "updated_at"])
        if zone_changed:
            from .shows import show_local_dates_refresh

            show_local_dates_refresh(venue=venue)
    return venue


def hall_create(*, venue: Venue, actor: Any, name: str, seats: Sequence[SeatSpec] = ()) -> Hall:
    """A hall of the venue, with its seat layout when `seats` are given (one transaction)."""
    from .layout import hall_layout_apply

    ensure_can(actor, "change", venue)
    if Hall.objects.filter(venue=venue, name=name).exists():
        raise ValidationFailed(
            "This venue already has a hall with that name.", code="unique", field="name"
        )
    try:
        with transaction.atomic():
            hall = Hall.objects.create(venue=venue, name=name)
            if seats:
                hall_layout_apply(hall=hall, actor=actor, seats=seats)
    except IntegrityError as exc:  # created at the same moment by another request
        raise ValidationFailed(
            "This venue already has a hall with that name.", code="unique", field="name"
        ) from exc
    return hall


def hall_update(*, hall: Hall, actor: Any, name: str) -> Hall:
    ensure_can(actor, "change", hall)
    if Hall.objects.filter(venue_id=hall.venue_id, name=name).exclude(pk=hall.pk).exists():
        raise ValidationFailed(
            "This venue already has a hall with that name.", code="unique", field="name"
        )
    hall.name = name
    try:
        with transaction.atomic():
            hall.save(update_fields=["name"])
    except IntegrityError as exc:
        raise ValidationFailed(
            "This venue already has a hall with that name.", code="unique", field="name"
        ) from exc
    return hall


def seat_update(
    *,
    seat: Seat,
    actor: Any,
    category: str | None = None,
    accessible: bool | None = None,
    blocked: bool | None = None,
) -> Seat:
    """Change one seat's category or flags. Blocking a seat keeps the bookings it already has;
    it only stops new holds and sales."""
    ensure_can(actor, "change", seat)
    fields = []
    for name, value in (("category", category), ("accessible", accessible), ("blocked", blocked)):
        if value is not None:
            setattr(seat, name, value)
            fields.append(name)
    if fields:
        with transaction.atomic():
            seat.save(update_fields=fields)
            Hall.objects.filter(pk=seat.hall_id).update(layout_version=F("layout_version") + 1)
    return seat
