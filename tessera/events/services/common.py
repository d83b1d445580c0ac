"""Checks shared by the events services."""

from __future__ import annotations

import functools
import zoneinfo
from datetime import datetime
from typing import Any

from tessera.accounts.access import is_staff
from tessera.core.errors import PermissionDenied, ValidationFailed

from ..policies import is_organizer


@functools.cache
def _zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def ensure_timezone(name: str, field: str = "timezone") -> str:
    if name not in _zones():
        raise ValidationFailed(
            f"{name!r} is not an IANA time zone (such as Europe/Berlin).",
            code="invalid_timezone",
            field=field,
        )
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
