"""Roles are Django groups with permissions. This table is the only place that defines them.

Other apps add the permissions their models need to a role with `grant_permissions` in their
`AppConfig.ready`; after every `migrate` the groups are brought in line with the table.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any


class Role(StrEnum):
    CUSTOMER = "customer"
    PROVIDER = "provider"
    ORGANIZER = "organizer"
    STAFF = "staff"


DEFAULT_ROLE = Role.CUSTOMER
ROLE_CHOICES = [role.value for role in Role]

ROLE_DESCRIPTIONS = {
    Role.CUSTOMER: "Books for themself; sees their own bookings.",
    Role.PROVIDER: "Owns resources: edits their schedule, sees and manages the bookings on them.",
    Role.ORGANIZER: "Owns venues, events and shows.",
    Role.STAFF: "Sees and changes everything; can grant roles and use the admin.",
}

# role -> "app_label.codename" permissions. Filled by the apps that own the models.
_ROLE_PERMISSIONS: dict[Role, set[str]] = {role: set() for role in Role}
_ROLE_PERMISSIONS[Role.STAFF] |= {
    "accounts.view_user",
    "accounts.change_user",
    "auth.view_group",
}


def grant_permissions(role: Role, permissions: list[str]) -> None:
    _ROLE_PERMISSIONS[role].update(permissions)


def role_permissions(role: Role) -> frozenset[str]:
    return frozenset(_ROLE_PERMISSIONS[role])


def sync_groups() -> None:
    """Create one group per role and give it exactly the permissions of the table."""
    from django.contrib.auth.models import Group, Permission

    for role in Role:
        group, _ = Group.objects.get_or_create(name=role.value)
        wanted = _ROLE_PERMISSIONS[role]
        perms = []
        for dotted in sorted(wanted):
            app_label, codename = dotted.split(".", 1)
            perm = Permission.objects.filter(
                content_type__app_label=app_label, codename=codename
            ).first()
            if perm is not None:
                perms.append(perm)
        group.permissions.set(perms)


def sync_after_migrate(sender: Any, **kwargs: Any) -> None:
    """post_migrate runs once per app that has models; sync after the last of them, when every
    permission exists (an app without models, such as the pages, gets no signal)."""
    from django.apps import apps

    with_models = [config for config in apps.get_app_configs() if config.models_module]
    if sender is with_models[-1]:
        sync_groups()
