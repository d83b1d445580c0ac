"""`?tz=<IANA zone>`: show the times of a response in that zone (they are stored in UTC)."""

from __future__ import annotations

import zoneinfo
from zoneinfo import ZoneInfo

from rest_framework.request import Request

from tessera.core.errors import ValidationFailed

TZ_PARAM = "tz"


def zone_or_error(name: str, *, field: str = TZ_PARAM) -> ZoneInfo:
    try:
        if not name or name.startswith(("/", ".")) or ".." in name:
            raise ValueError(name)
        return ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError) as exc:
        raise ValidationFailed(
            f"{name!r} is not an IANA time zone (e.g. Europe/Lisbon).",
            code="invalid_timezone",
            field=field,
        ) from exc


def requested_zone(request: Request) -> ZoneInfo | None:
    """The zone asked for with `?tz=`, or None (then times are shown in UTC)."""
    name = request.query_params.get(TZ_PARAM)
    return None if name is None else zone_or_error(name)
