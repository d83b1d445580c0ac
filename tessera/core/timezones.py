"""Which time-zone names Tessera accepts: one rule for resources, venues, `?tz=` and any
other zone a client or an admin gives.

A zone is accepted when it is a name of the IANA time-zone database as the machine's zoneinfo
lists it (`zoneinfo.available_timezones()`), except the entries that are files of the database
but not zones of it:

- `localtime`: a link to the host's own zone, so its meaning changes with the machine;
- `posixrules`: the file that holds default DST rules for POSIX TZ strings;
- `Factory`: the placeholder zone ("-00") of a system whose zone was never set.

Paths (`posix/…`, `right/…`, absolute or relative file names) are never names. The legacy
aliases that IANA keeps as links (`US/Eastern`, `GB`, `Asia/Calcutta`, `EST5EDT`, …) are IANA
names and are accepted as given: old clients send them, and they resolve to the same rules.
"""

from __future__ import annotations

import functools
import zoneinfo
from zoneinfo import ZoneInfo

from .errors import ValidationFailed

NOT_ZONES = frozenset({"localtime", "posixrules", "Factory"})
INVALID_TIMEZONE = "invalid_timezone"


@functools.cache
def iana_zones() -> frozenset[str]:
    """Every accepted zone name."""
    return frozenset(zoneinfo.available_timezones()) - NOT_ZONES


def is_iana_zone(name: object) -> bool:
    return isinstance(name, str) and name in iana_zones()


def iana_zone(name: object, *, field: str = "timezone") -> ZoneInfo:
    """The zone called `name`, or a 400 `invalid_timezone` naming `field`."""
    if not is_iana_zone(name):
        raise ValidationFailed(
            f"{name!r} is not an IANA time zone (such as Europe/Lisbon).",
            code=INVALID_TIMEZONE,
            field=field,
        )
    return _zone(str(name))


@functools.lru_cache(maxsize=512)
def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)
