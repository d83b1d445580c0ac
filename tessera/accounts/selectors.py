"""Reads of accounts."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from tessera.core.errors import NotFound

from .access import ensure_can, is_staff
from .models import User


def user_list(*, actor: Any) -> QuerySet[User]:
    """Staff see everyone; anybody else sees only themself."""
    qs = User.objects.prefetch_related("groups").order_by("id")
    return qs if is_staff(actor) else qs.filter(pk=actor.pk)


def user_get_for_actor(*, user_id: int, actor: Any) -> User:
    user = User.objects.prefetch_related("groups").filter(pk=user_id).first()
    if user is None:
        raise NotFound("No such user.")
    ensure_can(actor, "view", user)
    return user


def user_roles(user: User) -> list[str]:
    """Role names of a user, staff included; uses prefetched groups."""
    from .roles import Role

    names = {g.name for g in user.groups.all()}
    if user.is_staff or user.is_superuser:
        names.add(Role.STAFF.value)
    return [role.value for role in Role if role.value in names]
