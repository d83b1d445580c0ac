"""DRF permissions from the one access policy (`access.py`)."""

from typing import Any

from rest_framework.permissions import BasePermission
from rest_framework.request import Request

from .access import is_staff


class IsStaff(BasePermission):
    message = "Only staff may do this."

    def has_permission(self, request: Request, view: Any) -> bool:
        return is_staff(request.user)
