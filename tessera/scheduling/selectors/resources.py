"""Reads of resources and of their weekly hours, closures and openings."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Q, QuerySet

from tessera.accounts.access import ensure_can, is_staff
from tessera.core.errors import NotFound

from ..models import Closure, ExtraOpening, Resource, WeeklyHours


def resource_list(*, actor: Any) -> QuerySet[Resource]:
    """Active resources for everyone; their owners also see inactive ones; staff see all."""
    qs = Resource.objects.all()
    if is_staff(actor):
        return qs
    if actor is not None and actor.is_authenticated:
        return qs.filter(Q(is_active=True) | Q(owner=actor))
    return qs.filter(is_active=True)


def resource_get(*, resource_id: int, actor: Any, action: str = "view") -> Resource:
    """The resource if the actor may see (or, with action="change", change) it; else 404/403.

    A resource the actor may not even see is reported as not found, so ids leak nothing.
    """
    resource = Resource.objects.filter(pk=resource_id).first()
    if resource is None or not _can(actor, "view", resource):
        raise NotFound("No such resource.", code="resource_not_found")
    if action == "change":
        ensure_can(actor, "change", resource)
    return resource


def _can(actor: Any, action: str, resource: Resource) -> bool:
    from tessera.accounts.access import user_can

    if actor is None or not actor.is_authenticated:
        return action == "view" and resource.is_active
    return user_can(actor, action, resource)  # type: ignore[arg-type]


def resource_weekly_hours(*, resource: Resource) -> QuerySet[WeeklyHours]:
    return WeeklyHours.objects.filter(resource=resource).order_by("weekday", "start_time", "id")


def resource_closures(*, resource: Resource, since: date | None = None) -> QuerySet[Closure]:
    qs = Closure.objects.filter(resource=resource)
    return qs.filter(end_date__gte=since) if since else qs


def resource_openings(*, resource: Resource, since: date | None = None) -> QuerySet[ExtraOpening]:
    qs = ExtraOpening.objects.filter(resource=resource)
    return qs.filter(end_date__gte=since) if since else qs
