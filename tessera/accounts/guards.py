"""Who may erase or demote whom. One place, asked by the services that do it.

- Nobody erases themselves or a superuser through the API (a superuser is first demoted by
  another superuser, in the admin or with `DELETE /api/users/<id>/roles/staff/`).
- Only a superuser erases a staff member, or takes the staff role from a superuser (which
  takes the superuser status with it: a superuser without staff rights is not a state).
- Nobody takes their own staff role (no locking yourself out).
- The last active superuser is never demoted, deactivated or deleted (API and admin). The
  check locks the active superusers' rows, so two superusers demoting each other at the same
  time cannot both succeed.
"""

from __future__ import annotations

from typing import Any

from .errors import LastSuperuser, ProtectedAccount
from .models import User


def guard_erasure(*, actor: Any, user: User) -> None:
    """Caller has checked that `actor` is staff."""
    if user.pk == actor.pk:
        raise ProtectedAccount("You cannot erase your own account.", code="cannot_erase_self")
    if user.is_superuser:
        raise ProtectedAccount(
            "A superuser's data cannot be erased through the API; demote them first.",
            code="cannot_erase_superuser",
        )
    if user.is_staff and not actor.is_superuser:
        raise ProtectedAccount(
            "Only a superuser can erase a staff member's data.", code="cannot_erase_staff"
        )


def guard_staff_revoke(*, actor: Any, user: User) -> None:
    """Caller has checked that `actor` is staff; call inside the transaction that demotes."""
    if user.pk == actor.pk:
        raise ProtectedAccount("You cannot revoke your own staff role.", code="self_revoke")
    if user.is_superuser:
        if not actor.is_superuser:
            raise ProtectedAccount(
                "Only a superuser can take the staff role from a superuser.",
                code="cannot_demote_superuser",
            )
        guard_last_superuser(user=user)


def guard_last_superuser(*, user: User) -> None:
    """Refuse (409 `last_superuser`) when `user` is the only active superuser left.

    Caller holds a transaction; the active superusers' rows stay locked until it ends.
    """
    others = [
        pk
        for pk in User.objects.select_for_update()
        .filter(is_superuser=True, is_active=True)
        .order_by("pk")
        .values_list("pk", flat=True)
        if pk != user.pk
    ]
    if not others:
        raise LastSuperuser()
