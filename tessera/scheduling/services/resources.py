"""Writes of resources: create, update (capacity changes are checked against live bookings),
deactivate. Only providers (for themselves) and staff create resources; owners and staff
change them."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from tessera.accounts.access import ensure_can, has_role, is_staff
from tessera.accounts.models import User
from tessera.accounts.roles import Role
from tessera.core.errors import PermissionDenied, ValidationFailed
from tessera.core.timezones import iana_zone

from ..cache import availability_changed
from ..capacity import AFTER_RAISE, BEFORE_CHANGE, capacity_follower
from ..locks import resources_lock
from ..models import Resource

RULE_FIELDS = (
    "default_duration",
    "slot_step",
    "buffer_before",
    "buffer_after",
    "min_notice",
    "max_advance",
    "cancellation_deadline",
    "approval_required",
    "guest_booking",
)
EDITABLE_FIELDS = (
    "name",
    "kind",
    "description",
    "location",
    "capacity",
    "timezone",
    "is_active",
    "owner",
)


def _may_own(user: User) -> bool:
    return is_staff(user) or has_role(user, Role.PROVIDER)


def _check_owner(*, actor: Any, owner: User) -> None:
    if owner.pk != actor.pk and not is_staff(actor):
        raise PermissionDenied("Only staff may give a resource to someone else.")
    if not _may_own(owner):
        raise ValidationFailed(
            "The owner of a resource must be a provider (or staff).",
            code="owner_not_provider",
            field="owner",
        )


def _check_timezone(name: str) -> None:
    iana_zone(name, field="timezone")


def resource_create(
    *,
    actor: Any,
    name: str,
    kind: str,
    timezone: str,
    capacity: int = 1,
    owner: User | None = None,
    description: str = "",
    location: str = "",
    is_active: bool = True,
    **rules: Any,
) -> Resource:
    """A new resource owned by `owner` (default: the actor). Providers and staff only."""
    if not _may_own(actor):
        raise PermissionDenied("Only providers and staff can create resources.")
    owner = owner or actor
    _check_owner(actor=actor, owner=owner)
    _check_timezone(timezone)
    unknown = set(rules) - set(RULE_FIELDS)
    if unknown:
        raise TypeError(f"unknown rules: {sorted(unknown)}")
    return Resource.objects.create(
        name=name,
        kind=kind,
        timezone=timezone,
        capacity=capacity,
        owner=owner,
        description=description,
        location=location,
        is_active=is_active,
        **rules,
    )


def resource_update(*, resource_id: int, actor: Any, **changes: Any) -> Resource:
    """Change fields and rules. A lower capacity is refused (409 `capacity_below_bookings`)
    while more live bookings overlap than it allows (`capacity.py` names who decides that)."""
    unknown = set(changes) - set(RULE_FIELDS) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    with transaction.atomic():
        locked = resources_lock(resource_ids=[resource_id])
        if not locked:
            from tessera.core.errors import NotFound

            raise NotFound("No such resource.", code="resource_not_found")
        resource = locked[0]
        ensure_can(actor, "change", resource)
        if "owner" in changes and changes["owner"].pk != resource.owner_id:
            if not is_staff(actor):
                raise PermissionDenied("Only staff may give a resource to someone else.")
            _check_owner(actor=actor, owner=changes["owner"])
        if "timezone" in changes:
            _check_timezone(changes["timezone"])
        old_capacity = resource.capacity
        new_capacity = changes.get("capacity", old_capacity)
        if new_capacity != old_capacity:
            capacity_follower(BEFORE_CHANGE)(resource=resource, old=old_capacity, new=new_capacity)
        for name, value in changes.items():
            setattr(resource, name, value)
        resource.save(update_fields=[*changes, "updated_at"])
        availability_changed(resource_ids=[resource.pk])
        if new_capacity > old_capacity:
            capacity_follower(AFTER_RAISE)(resource=resource, old=old_capacity, new=new_capacity)
    return resource


def resource_deactivate(*, resource_id: int, actor: Any) -> Resource:
    """Stop taking bookings (the record and its bookings stay). Owners and staff."""
    return resource_update(resource_id=resource_id, actor=actor, is_active=False)
