"""Helpers the events views share: ids in bodies, layouts, public reads."""

from __future__ import annotations

from typing import Any

from rest_framework.permissions import AllowAny, IsAuthenticated

from tessera.accounts.models import User
from tessera.core.errors import ValidationFailed

from ... import conf
from ...domain.layout import LayoutError, SeatSpec, build_layout


def user_or_400(user_id: int | None, *, field: str) -> User | None:
    """The active user a body names (`owner`, `user`), or a 400 on that field."""
    if user_id is None:
        return None
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        raise ValidationFailed("No such user.", code="does_not_exist", field=field)
    return user


def seats_from_layout(layout: dict[str, Any], *, prefix: str = "") -> list[SeatSpec]:
    """Build a validated layout; a problem names its field (`blocks.0.rows`, ...)."""
    try:
        return build_layout(
            layout["blocks"],
            accessible=layout.get("accessible", ()),
            blocked=layout.get("blocked", ()),
            max_seats=conf.max_seats_per_hall(),
        )
    except LayoutError as exc:
        raise ValidationFailed(exc.message, code=exc.code, field=f"{prefix}{exc.field}") from exc


def public_for(view: Any, public_actions: set[str]) -> list[Any]:
    """Anyone may read the catalogue; everything else needs a signed-in user."""
    if getattr(view, "action", None) in public_actions:
        return [AllowAny()]
    return [IsAuthenticated()]
