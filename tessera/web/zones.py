"""Which time zone a page shows times in: the visitor's (from their profile) or the place's."""

from __future__ import annotations

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.http import HttpRequest


def visitor_zone_name(request: HttpRequest) -> str:
    """The signed-in person's time zone from their profile, or "" when they set none."""
    user = request.user
    return str(getattr(user, "timezone", "") or "") if user.is_authenticated else ""


def display_zone(request: HttpRequest, place_zone: str) -> tuple[ZoneInfo, bool]:
    """(zone, is_the_place's): the visitor's zone unless they ask for the place's (`?tz=place`)
    or have none; an unknown name falls back on the place's zone."""
    mine = visitor_zone_name(request)
    if mine and mine != place_zone and request.GET.get("tz") != "place":
        try:
            return ZoneInfo(mine), False
        except (ZoneInfoNotFoundError, ValueError):
            pass
    return ZoneInfo(place_zone), True
