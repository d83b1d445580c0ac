"""Finding shows to go to, and the public face of a venue (the pages' browse)."""

from __future__ import annotations

from datetime import date, datetime

from django.db.models import Q, QuerySet

from tessera.core.errors import NotFound

from ..models import Event, Show, ShowStatus, Venue
from .shows import show_list


def show_upcoming(*, now: datetime) -> QuerySet[Show]:
    """Scheduled shows that have not started, soonest first, with event, venue and prices."""
    return show_list(now=now).filter(status=ShowStatus.SCHEDULED, starts_at__gt=now)


def show_search(
    *,
    now: datetime,
    text: str = "",
    place: str = "",
    category: str = "",
    day: date | None = None,
) -> QuerySet[Show]:
    """Upcoming shows narrowed by text (event title or description), place (venue name or
    location), category (exact, any case) and local date."""
    shows = show_upcoming(now=now)
    if text.strip():
        words = text.strip()
        shows = shows.filter(
            Q(event__title__icontains=words) | Q(event__description__icontains=words)
        )
    if place.strip():
        where = place.strip()
        shows = shows.filter(Q(venue__name__icontains=where) | Q(venue__location__icontains=where))
    if category.strip():
        shows = shows.filter(event__category__iexact=category.strip())
    if day is not None:
        shows = shows.filter(local_date=day)
    return shows


def event_categories(*, now: datetime) -> list[str]:
    """The categories of events that have upcoming shows, sorted."""
    names = (
        Event.objects.filter(shows__status=ShowStatus.SCHEDULED, shows__starts_at__gt=now)
        .exclude(category="")
        .values_list("category", flat=True)
        .distinct()
    )
    return sorted({name.lower() for name in names})


def venue_public_get(*, venue_id: int) -> Venue:
    """A venue as the public sees it: only one that hosts a show (its shows name it anyway)."""
    venue = Venue.objects.filter(pk=venue_id, shows__isnull=False).distinct().first()
    if venue is None:
        raise NotFound("No such venue.")
    return venue
