from typing import Any

from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.request import Request

from tessera.accounts.access import is_staff, user_can


class IsStaff(BasePermission):
    message = "Only staff may do this."

    def has_permission(self, request: Request, view: Any) -> bool:
        return is_staff(request.user)


class ObjectAccess(BasePermission):
    """Object permission from the one access policy (`tessera.accounts.access`)."""

    def has_object_permission(self, request: Request, view: Any, obj: Any) -> bool:
        return user_can(request.user, "view" if request.method in SAFE_METHODS else "change", obj)
