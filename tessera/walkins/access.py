"""Who may see and change a walk-in: the person in the queue (see, leave), the resource's owner
(everything) and staff."""

from __future__ import annotations

from typing import Any

from tessera.accounts.access import Action

from .models import WalkIn


def walkin_policy(user: Any, walkin: WalkIn, action: Action) -> bool:
    if walkin.resource.owner_id == user.pk:
        return True
    return walkin.user_id is not None and walkin.user_id == user.pk
