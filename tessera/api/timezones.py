"""`?tz=<IANA zone>`: show the times of a response in that zone (they are stored in UTC).

The names accepted are those of `tessera.core.timezones` (the same rule as a resource's or a
venue's zone).
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from rest_framework.request import Request

from tessera.core.timezones import iana_zone

TZ_PARAM = "tz"


def zone_or_error(name: str, *, field: str = TZ_PARAM) -> ZoneInfo:
    return iana_zone(name, field=field)


def requested_zone(request: Request) -> ZoneInfo | None:
    """The zone asked for with `?tz=`, or None (then times are shown in UTC)."""
    name = request.query_params.get(TZ_PARAM)
    return None if name is None else zone_or_error(name)
