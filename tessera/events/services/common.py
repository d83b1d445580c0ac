"""Checks shared by the events services."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from tessera.accounts.access import is_staff
from tessera.core.errors import PermissionDenied, ValidationFailed
from tessera.core.timezones import iana_zone

from ..policies import is_organizer


def ensure_timezone(name: str, field: str = "timezone") -> str:
    """`name` if it is an accepted zone (`tessera.core.timezones`), else 400 invalid_timezone."""
    iana_zone(name, field=field)
    return name


def ensure_aware(value: datetime, field: str) -> datetime:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValidationFailed(
            "Give the time with its UTC offset (2030-05-01T19:30:00+02:00).",
            code="naive_datetime",
            field=field,
        )
    return value


def resolve_owner(*, actor: Any, owner: Any | None) -> Any:
    """The owner of a new venue or event: the actor, or (staff only) the organizer named."""
    if not is_organizer(actor):
        raise PermissionDenied("Only organizers and staff can create venues and events.")
    if owner is None or owner.pk == actor.pk:
        return actor
    if not is_staff(actor):
        raise PermissionDenied("Only staff can create venues and events for someone else.")
    if not is_organizer(owner):
        raise ValidationFailed(
            "The owner must be an organizer.", code="not_an_organizer", field="owner"
        )
    return owner
