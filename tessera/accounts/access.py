"""The one place that answers "may this user see / change this object".

Each app registers a policy for its models (`register_policy(Resource, resource_policy)`);
staff may do everything; anything without a policy is refused. API permissions, selectors and
services all ask `user_can` / `ensure_can`, so the answer is the same everywhere.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Literal

from tessera.core.errors import PermissionDenied

from .roles import Role

Action = Literal["view", "change"]
Policy = Callable[[Any, Any, Action], bool]

_policies: dict[type, Policy] = {}


def register_policy(model: type, policy: Policy) -> None:
    _policies[model] = policy


def is_staff(user: Any) -> bool:
    return bool(user and user.is_authenticated and (user.is_staff or user.is_superuser))


def has_role(user: Any, role: Role) -> bool:
    """Whether the user holds a role. Uses the prefetched groups when they are there."""
    if not (user and user.is_authenticated):
        return False
    if role is Role.STAFF:
        return is_staff(user)
    cache = getattr(user, "_tessera_roles", None)
    if cache is None:
        cache = frozenset(user.groups.values_list("name", flat=True))
        user._tessera_roles = cache
    return role.value in cache


def user_can(user: Any, action: Action, obj: Any) -> bool:
    if not (user and user.is_authenticated and user.is_active):
        return False
    if is_staff(user):
        return True
    for cls in type(obj).__mro__:
        policy = _policies.get(cls)
        if policy is not None:
            return policy(user, obj, action)
    return False


def ensure_can(user: Any, action: Action, obj: Any) -> None:
    if not user_can(user, action, obj):
        raise PermissionDenied(f"You may not {action} this {type(obj).__name__.lower()}.")


def _user_policy(user: Any, obj: Any, action: Action) -> bool:
    return bool(user.pk == obj.pk)


def register_user_policy() -> None:
    from .models import User

    register_policy(User, _user_policy)
