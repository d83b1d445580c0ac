"""Writes of events and shows: scheduling without overlaps, prices, moving and cancelling."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.db import IntegrityError, transaction
from django.db.models import Q

from tessera.accounts.access import ensure_can
from tessera.bookings.models import Booking
from tessera.bookings.promotion import waitlist_promote_into_room
from tessera.bookings.waitlist import waitlist_key_for_show
from tessera.core.clock import utcnow
from tessera.core.errors import ValidationFailed

from .. import conf
from ..errors import CapacityBelowSold, ShowCancelled, ShowOverlap, ShowStarted
from ..locks import lock_hall, lock_show_for_sale, ticket_transaction
from ..models import (
    Event,
    Hall,
    Seat,
    Seating,
    Show,
    ShowPrice,
    ShowStatus,
    Venue,
)
from .cancel import show_cancel as show_cancel  # its own module; callers import it from here
from .claims import places_taken
from .common import ensure_aware, resolve_owner

EVENT_FIELDS = ("title", "description", "category", "duration_minutes", "requires_approval")
NO_OVERLAP_CONSTRAINT = "events_show_no_overlap_in_hall"


def event_create(
    *,
    actor: Any,
    title: str,
    description: str = "",
    category: str = "",
    duration_minutes: int | None = None,
    requires_approval: bool = False,
    owner: Any | None = None,
) -> Event:
    return Event.objects.create(
        owner=resolve_owner(actor=actor, owner=owner),
        title=title,
        description=description,
        category=category,
        duration_minutes=duration_minutes,
        requires_approval=requires_approval,
    )


def event_update(*, event: Event, actor: Any, **changes: Any) -> Event:
    ensure_can(actor, "change", event)
    unknown = set(changes) - set(EVENT_FIELDS)
    if unknown:
        raise ValueError(f"event_update got unknown fields: {sorted(unknown)}")
    for name, value in changes.items():
        setattr(event, name, value)
    event.save(update_fields=[*changes, "updated_at"])
    return event


def local_to_utc(day: date, at: time, zone: str, field: str = "time") -> datetime:
    """A wall-clock date and time at a venue, as an aware UTC instant.

    A time that does not exist there (skipped by a daylight-saving change) is refused; one that
    happens twice is the first of the two.
    """
    tz = ZoneInfo(zone)
    local = datetime.combine(day, at.replace(tzinfo=None), tzinfo=tz)
    if local.astimezone(UTC).astimezone(tz).replace(tzinfo=None) != local.replace(tzinfo=None):
        raise ValidationFailed(
            f"{day} {at} does not exist in {zone} (the clocks skip it).",
            code="nonexistent_local_time",
            field=field,
        )
    return local.astimezone(UTC)


def event_create_with_show(
    *,
    actor: Any,
    title: str,
    venue: Venue,
    day: date,
    at: time,
    capacity: int,
    description: str = "",
    category: str = "",
    duration_minutes: int | None = None,
    price: Decimal = Decimal("0"),
    requires_approval: bool = False,
    owner: Any | None = None,
    now: datetime | None = None,
) -> Event:
    """The earlier platform's event: title, date, time, venue, capacity = one event, one
    general-admission show at the venue (date and time in the venue's time zone)."""
    starts_at = local_to_utc(day, at, venue.timezone)
    with transaction.atomic():
        event = event_create(
            actor=actor,
            title=title,
            description=description,
            category=category,
            duration_minutes=duration_minutes,
            requires_approval=requires_approval,
            owner=owner,
        )
        show_create(
            event=event,
            venue=venue,
            actor=actor,
            starts_at=starts_at,
            seating=Seating.GENERAL,
            capacity=capacity,
            price=price,
            now=now,
        )
    return event


def _local_date(starts_at: datetime, venue: Venue) -> date:
    return starts_at.astimezone(ZoneInfo(venue.timezone)).date()


def _ensure_times(
    *, event: Event, starts_at: datetime, ends_at: datetime | None, now: datetime
) -> datetime:
    ensure_aware(starts_at, "starts_at")
    if ends_at is None:
        minutes = event.duration_minutes or conf.default_show_minutes()
        ends_at = starts_at + timedelta(minutes=minutes)
    ensure_aware(ends_at, "ends_at")
    if ends_at <= starts_at:
        raise ValidationFailed(
            "A show ends after it starts.", code="end_before_start", field="ends_at"
        )
    if starts_at <= now:
        raise ValidationFailed(
            "A show is scheduled in the future.", code="in_past", field="starts_at"
        )
    return ends_at


def _ensure_no_overlap(
    *, hall_id: int, starts_at: datetime, ends_at: datetime, exclude_pk: int | None = None
) -> None:
    """Caller holds `lock_hall` (on PostgreSQL the exclusion constraint backs this up)."""
    clash = Show.objects.filter(
        hall_id=hall_id, starts_at__lt=ends_at, ends_at__gt=starts_at
    ).exclude(status=ShowStatus.CANCELLED)
    if exclude_pk is not None:
        clash = clash.exclude(pk=exclude_pk)
    other = clash.order_by("starts_at").first()
    if other is not None:
        raise ShowOverlap(
            f"Show {other.pk} is in this hall from {other.starts_at.isoformat()} "
            f"to {other.ends_at.isoformat()}.",
            show_id=other.pk,
        )


def _is_overlap_violation(exc: IntegrityError) -> bool:
    diag = getattr(exc.__cause__, "diag", None)
    return NO_OVERLAP_CONSTRAINT in str(exc) or (
        diag is not None and getattr(diag, "constraint_name", None) == NO_OVERLAP_CONSTRAINT
    )


def _ensure_capacity(*, capacity: int | None, venue: Venue) -> int:
    if capacity is None:
        raise ValidationFailed(
            "A general-admission show needs a capacity.", code="required", field="capacity"
        )
    if capacity > venue.capacity:
        raise ValidationFailed(
            f"The venue holds {venue.capacity} people.",
            code="exceeds_venue_capacity",
            field="capacity",
        )
    return capacity


def _seating_of(*, hall: Hall | None, seating: str | None, capacity: int | None) -> str:
    if seating is None:
        has_seats = hall is not None and Seat.objects.filter(hall=hall).exists()
        seating = Seating.RESERVED if has_seats and capacity is None else Seating.GENERAL
    if seating == Seating.RESERVED:
        if hall is None:
            raise ValidationFailed("Reserved seating needs a hall.", code="required", field="hall")
        if capacity is not None:
            raise ValidationFailed(
                "A reserved-seating show sells its hall's seats; leave capacity out.",
                code="capacity_with_seats",
                field="capacity",
            )
        if not Seat.objects.filter(hall=hall, blocked=False).exists():
            raise ValidationFailed(
                "This hall has no seats for sale: give it a layout first.",
                code="hall_has_no_seats",
                field="hall",
            )
    return seating


def _set_prices(show: Show, prices: Mapping[str, Decimal]) -> None:
    ShowPrice.objects.filter(show=show).delete()
    ShowPrice.objects.bulk_create(
        [
            ShowPrice(show=show, category=category, amount=amount)
            for category, amount in prices.items()
        ]
    )


def show_create(
    *,
    event: Event,
    venue: Venue,
    actor: Any,
    starts_at: datetime,
    ends_at: datetime | None = None,
    hall: Hall | None = None,
    seating: str | None = None,
    capacity: int | None = None,
    price: Decimal = Decimal("0"),
    prices: Mapping[str, Decimal] | None = None,
    currency: str | None = None,
    now: datetime | None = None,
) -> Show:
    """Schedule a show of `event` at `venue` (and `hall`).

    Seating defaults to reserved when the hall has seats and no capacity is given. Two shows in
    one hall never overlap (`show_overlap`).
    """
    now = now or utcnow()
    ensure_can(actor, "change", event)
    ensure_can(actor, "change", venue)
    if hall is not None and hall.venue_id != venue.pk:
        raise ValidationFailed(
            "This hall belongs to another venue.", code="hall_not_in_venue", field="hall"
        )
    ends_at = _ensure_times(event=event, starts_at=starts_at, ends_at=ends_at, now=now)
    seating = _seating_of(hall=hall, seating=seating, capacity=capacity)
    if seating == Seating.GENERAL:
        capacity = _ensure_capacity(capacity=capacity, venue=venue)
    try:
        with transaction.atomic():
            if hall is not None:
                lock_hall(hall_id=hall.pk)
                _ensure_no_overlap(hall_id=hall.pk, starts_at=starts_at, ends_at=ends_at)
            show = Show.objects.create(
                event=event,
                venue=venue,
                hall=hall,
                starts_at=starts_at,
                ends_at=ends_at,
                local_date=_local_date(starts_at, venue),
                seating=seating,
                capacity=capacity,
                price=price,
                currency=currency or conf.default_currency(),
            )
            _set_prices(show, prices or {})
    except IntegrityError as exc:
        if _is_overlap_violation(exc):
            raise ShowOverlap() from exc
        raise
    return show


def show_update(
    *,
    show: Show,
    actor: Any,
    starts_at: datetime | None = None,
    ends_at: datetime | None = None,
    capacity: int | None = None,
    price: Decimal | None = None,
    prices: Mapping[str, Decimal] | None = None,
    now: datetime | None = None,
) -> Show:
    """Move a show, change its capacity (never below what is sold and held) or its prices.

    Prices apply to sales from now on; bookings keep what they paid. Moving a show moves its
    bookings' times with it. Venue, hall and seating stay: cancel and schedule anew for those.
    Raising the capacity promotes, in this transaction, the waiting list's entries that now fit
    (in line order); if one of them is being changed elsewhere, the change is refused with
    `lock_timeout` rather than wait for it under the show's lock.
    """
    now = now or utcnow()
    ensure_can(actor, "change", show)
    moving = starts_at is not None or ends_at is not None
    try:
        with ticket_transaction():
            if moving and show.hall_id is not None:
                lock_hall(hall_id=show.hall_id)
            locked = lock_show_for_sale(show_id=show.pk)
            assert locked is not None
            if locked.status == ShowStatus.CANCELLED:
                raise ShowCancelled(show_id=show.pk)
            fields: list[str] = ["updated_at"]
            if moving:
                fields += _move(locked, starts_at=starts_at, ends_at=ends_at, now=now)
            old_capacity = locked.capacity
            if capacity is not None:
                fields += _resize(locked, capacity=capacity, now=now)
            if price is not None:
                locked.price = price
                fields.append("price")
            locked.save(update_fields=fields)
            if prices is not None:
                _set_prices(locked, prices)
            if capacity is not None and old_capacity is not None and capacity > old_capacity:
                waitlist_promote_into_room(
                    where=Q(list_key=waitlist_key_for_show(show_id=locked.pk)), now=now
                )
    except IntegrityError as exc:
        if _is_overlap_violation(exc):
            raise ShowOverlap() from exc
        raise
    return locked


def _move(
    show: Show, *, starts_at: datetime | None, ends_at: datetime | None, now: datetime
) -> list[str]:
    if show.starts_at <= now:
        raise ShowStarted(show_id=show.pk)
    new_start = starts_at or show.starts_at
    duration = show.ends_at - show.starts_at
    new_end = ends_at or (new_start + duration)
    new_end = _ensure_times(event=show.event, starts_at=new_start, ends_at=new_end, now=now)
    if show.hall_id is not None:
        _ensure_no_overlap(
            hall_id=show.hall_id, starts_at=new_start, ends_at=new_end, exclude_pk=show.pk
        )
    show.starts_at, show.ends_at = new_start, new_end
    show.local_date = _local_date(new_start, show.venue)
    Booking.objects.filter(ticket__show=show).update(
        starts_at=new_start, ends_at=new_end, updated_at=now
    )
    return ["starts_at", "ends_at", "local_date"]


def _resize(show: Show, *, capacity: int, now: datetime) -> list[str]:
    if show.is_reserved:
        raise ValidationFailed(
            "A reserved-seating show sells its hall's seats; block seats instead.",
            code="capacity_with_seats",
            field="capacity",
        )
    capacity = _ensure_capacity(capacity=capacity, venue=show.venue)
    taken = places_taken(show_id=show.pk, now=now)
    if capacity < taken:
        raise CapacityBelowSold(
            f"{taken} places are sold or held.", places_taken=taken, capacity=capacity
        )
    show.capacity = capacity
    return ["capacity"]


def show_local_dates_refresh(*, venue: Venue) -> int:
    """After a venue's time zone changed: recompute its shows' local dates."""
    changed = []
    for show in Show.objects.filter(venue=venue):
        local = _local_date(show.starts_at, venue)
        if local != show.local_date:
            show.local_date = local
            changed.append(show)
    Show.objects.bulk_update(changed, ["local_date"], batch_size=500)
    return len(changed)
