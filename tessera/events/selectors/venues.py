"""Reads of venues, halls and seats (for their organizers and staff)."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet

from tessera.accounts.access import Action, ensure_can, is_staff
from tessera.core.errors import NotFound, PermissionDenied

from ..models import Hall, Seat, Venue
from ..policies import is_organizer


def _ensure_organizer(actor: Any) -> None:
    if not is_organizer(actor):
        raise PermissionDenied("Venues and halls are managed by organizers and staff.")


def venue_list(*, actor: Any) -> QuerySet[Venue]:
    """Staff see every venue, an organizer their own."""
    _ensure_organizer(actor)
    venues = Venue.objects.order_by("name", "id")
    return venues if is_staff(actor) else venues.filter(owner=actor)


def venue_get_for_actor(*, venue_id: int, actor: Any, action: Action = "view") -> Venue:
    venue = Venue.objects.filter(pk=venue_id).first()
    if venue is None:
        raise NotFound("No such venue.")
    ensure_can(actor, action, venue)
    return venue


def _halls() -> QuerySet[Hall]:
    return Hall.objects.select_related("venue").annotate(
        seat_count=Count("seats"), seats_for_sale=Count("seats", filter=Q(seats__blocked=False))
    )


def hall_list(*, actor: Any) -> QuerySet[Hall]:
    _ensure_organizer(actor)
    halls = _halls().order_by("venue__name", "name", "id")
    return halls if is_staff(actor) else halls.filter(venue__owner=actor)


def hall_get_for_actor(*, hall_id: int, actor: Any, action: Action = "view") -> Hall:
    hall = _halls().filter(pk=hall_id).first()
    if hall is None:
        raise NotFound("No such hall.")
    ensure_can(actor, action, hall)
    return hall


def hall_seats(*, hall: Hall) -> QuerySet[Seat]:
    return Seat.objects.filter(hall=hall).order_by("row_position", "number")


def seat_get_for_actor(*, hall: Hall, seat_id: int, actor: Any, action: Action = "view") -> Seat:
    seat = Seat.objects.select_related("hall__venue").filter(hall=hall, pk=seat_id).first()
    if seat is None:
        raise NotFound("This hall has no such seat.")
    ensure_can(actor, action, seat)
    return seat
