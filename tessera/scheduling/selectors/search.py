"""Finding resources to book: by kind, text, place and a day they open (the pages' browse)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet

from ..models import Closure, ExtraOpening, Resource, WeeklyHours
from .resources import resource_list


def resource_search(
    *,
    actor: Any,
    kinds: Sequence[str] = (),
    text: str = "",
    place: str = "",
    day: date | None = None,
) -> QuerySet[Resource]:
    """Active resources the actor may see, narrowed by kind, by text (name or description), by
    place (location) and by a day they are open: weekly hours on its weekday and no closure of
    the whole day, or an extra opening on it (dates are the resource's local dates)."""
    found = resource_list(actor=actor).filter(is_active=True).select_related("owner")
    if kinds:
        found = found.filter(kind__in=kinds)
    if text.strip():
        words = text.strip()
        found = found.filter(Q(name__icontains=words) | Q(description__icontains=words))
    if place.strip():
        found = found.filter(location__icontains=place.strip())
    if day is not None:
        found = found.filter(_open_on(day))
    return found.order_by("kind", "name", "pk")


def _open_on(day: date) -> Q:
    weekly = WeeklyHours.objects.filter(resource=OuterRef("pk"), weekday=day.weekday())
    starts_by = Q(start_date__lt=day) | Q(start_date=day, start_time__isnull=True)
    ends_after = Q(end_date__gt=day) | Q(end_date=day, end_time__isnull=True)
    closed = Closure.objects.filter(starts_by & ends_after, resource=OuterRef("pk"))
    extra = ExtraOpening.objects.filter(
        resource=OuterRef("pk"), start_date__lte=day, end_date__gte=day
    )
    return Q(Exists(weekly) & ~Exists(closed)) | Q(Exists(extra))


def resource_owner_list(*, actor: Any, owner_id: int) -> QuerySet[Resource]:
    """A provider's active resources, as the actor may see them."""
    return (
        resource_list(actor=actor)
        .filter(owner_id=owner_id, is_active=True)
        .select_related("owner")
        .order_by("kind", "name", "pk")
    )
