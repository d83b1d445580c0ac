"""The calendar Tessera accepts: years 1900 to 2200, for every date and time that comes in.

Python's `date`/`datetime` stop at year 1 and 9999, so a date at either edge overflows as soon
as a day is added or a zone applied (`date.max + 1 day`, `0001-01-01` in New York): that was a
500. Every date or time an endpoint, a form or a service accepts is checked against this one
range first (`ensure_date`, `ensure_datetime`, or the API fields built on them), which leaves
centuries of room on both sides for every window, buffer and zone offset computed from it.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from .errors import ValidationFailed

MIN_YEAR, MAX_YEAR = 1900, 2200
MIN_DATE, MAX_DATE = date(MIN_YEAR, 1, 1), date(MAX_YEAR, 12, 31)
OUT_OF_RANGE = "out_of_range"
OUT_OF_RANGE_MESSAGE = f"Dates and times lie between the years {MIN_YEAR} and {MAX_YEAR}."


def date_in_range(value: date) -> bool:
    """True when `value` (a date, or the date of a naive datetime) is in the accepted years."""
    return MIN_YEAR <= value.year <= MAX_YEAR


def datetime_in_range(value: datetime) -> bool:
    """True when the aware `value` is, in UTC, in the accepted years (False if it overflows)."""
    try:
        return date_in_range(value.astimezone(UTC))
    except (OverflowError, ValueError):
        return False


def ensure_date(value: date, *, field: str) -> date:
    """`value`, or a 400 `out_of_range` naming `field`."""
    if not date_in_range(value):
        raise ValidationFailed(OUT_OF_RANGE_MESSAGE, code=OUT_OF_RANGE, field=field)
    return value


def ensure_datetime(value: datetime, *, field: str) -> datetime:
    """The aware `value` in UTC, or a 400 `out_of_range` naming `field`."""
    if not datetime_in_range(value):
        raise ValidationFailed(OUT_OF_RANGE_MESSAGE, code=OUT_OF_RANGE, field=field)
    return value.astimezone(UTC)
