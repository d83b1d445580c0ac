"""Reads of the public catalogue: events, shows and how many places each show has left."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db.models import (
    Case,
    Count,
    F,
    IntegerField,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from tessera.accounts.access import Action, ensure_can
from tessera.core.errors import NotFound

from ..models import (
    Event,
    Hold,
    HoldState,
    Seat,
    SeatClaim,
    Seating,
    Show,
    ShowStatus,
    TicketBooking,
)


def _int(subquery: QuerySet[Any]) -> Coalesce:
    return Coalesce(Subquery(subquery), Value(0), output_field=IntegerField())


def _grouped(queryset: QuerySet[Any], key: str, aggregate: Any) -> QuerySet[Any]:
    return queryset.order_by().values(key).annotate(n=aggregate).values("n")


def with_availability(shows: QuerySet[Show], *, now: datetime) -> QuerySet[Show]:
    """Annotate `places_total` (capacity, or the hall's seats for sale) and `places_left`
    (minus what is sold and what live holds keep), as of `now`."""
    seats_for_sale = _grouped(
        Seat.objects.filter(hall_id=OuterRef("hall_id"), blocked=False), "hall_id", Count("pk")
    )
    seats_taken = _grouped(
        SeatClaim.objects.filter(show_id=OuterRef("pk"), is_live=True, seat__blocked=False).filter(
            Q(expires_at__isnull=True) | Q(expires_at__gt=now)
        ),
        "show_id",
        Count("pk"),
    )
    sold = _grouped(
        TicketBooking.objects.filter(show_id=OuterRef("pk"), is_live=True),
        "show_id",
        Sum("quantity"),
    )
    held = _grouped(
        Hold.objects.filter(show_id=OuterRef("pk"), state=HoldState.ACTIVE, expires_at__gt=now),
        "show_id",
        Sum("quantity"),
    )
    return shows.annotate(
        places_total=Case(
            When(seating=Seating.RESERVED, then=_int(seats_for_sale)),
            default=F("capacity"),
            output_field=IntegerField(),
        ),
        places_left=Case(
            When(seating=Seating.RESERVED, then=_int(seats_for_sale) - _int(seats_taken)),
            default=F("capacity") - _int(sold) - _int(held),
            output_field=IntegerField(),
        ),
    )


def show_list(*, now: datetime) -> QuerySet[Show]:
    shows = Show.objects.select_related("event", "venue", "hall").prefetch_related("prices")
    return with_availability(shows, now=now).order_by("starts_at", "pk")


def show_get(*, show_id: int, now: datetime | None = None) -> Show:
    """A show with its event, venue and prices (and availability when `now` is given)."""
    shows = Show.objects.select_related("event", "venue", "hall").prefetch_related("prices")
    if now is not None:
        shows = with_availability(shows, now=now)
    show = shows.filter(pk=show_id).first()
    if show is None:
        raise NotFound("No such show.")
    return show


def show_get_for_actor(*, show_id: int, actor: Any, action: Action) -> Show:
    show = show_get(show_id=show_id)
    ensure_can(actor, action, show)
    return show


def event_showtimes(*, event: Event, now: datetime) -> list[Show]:
    """The event's shows still on sale (scheduled, not started) that have places left."""
    shows = show_list(now=now).filter(event=event, status=ShowStatus.SCHEDULED, starts_at__gt=now)
    return [show for show in shows if (show.places_left or 0) > 0]  # type: ignore[attr-defined]


def event_list(*, now: datetime) -> QuerySet[Event]:
    """Events, with their number of live shows, the next show, and (for an event with exactly
    one show, as the earlier platform had them) that show's venue, start and capacity."""
    live = Show.objects.filter(event=OuterRef("pk")).exclude(status=ShowStatus.CANCELLED)
    first = live.order_by("starts_at", "pk")
    return Event.objects.annotate(
        show_count=_int(_grouped(live, "event_id", Count("pk"))),
        next_show_at=Subquery(
            live.filter(starts_at__gt=now)
            .order_by()
            .values("event_id")
            .annotate(m=Min("starts_at"))
            .values("m")
        ),
        only_show_id=Subquery(first.values("pk")[:1]),
        only_starts_at=Subquery(first.values("starts_at")[:1]),
        only_venue_id=Subquery(first.values("venue_id")[:1]),
        only_capacity=Subquery(first.values("capacity")[:1]),
        only_timezone=Subquery(first.values("venue__timezone")[:1]),
    ).order_by("title", "pk")


def event_get(*, event_id: int, now: datetime) -> Event:
    event = event_list(now=now).filter(pk=event_id).first()
    if event is None:
        raise NotFound("No such event.")
    return event


def event_get_for_actor(*, event_id: int, actor: Any, action: Action, now: datetime) -> Event:
    event = event_get(event_id=event_id, now=now)
    ensure_can(actor, action, event)
    return event
