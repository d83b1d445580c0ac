"""Who may see and change a resource: anyone sees an active one; its owner and staff change it."""

from __future__ import annotations

from typing import Any

from tessera.accounts.access import Action

from .models import Resource


def resource_policy(user: Any, resource: Resource, action: Action) -> bool:
    if resource.owner_id == user.pk:
        return True
    return action == "view" and resource.is_active
