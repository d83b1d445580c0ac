"""Input fields that refuse what would otherwise surprise a service or the database.

- `AwareDateTimeField`: ISO 8601 with an offset (`Z` or `+01:00`); a naive time is refused
  (`naive_datetime`) rather than guessed in the server's zone.
- `BoundedDateField`, `BoundedDateFilter`, `AwareDateTimeFormField`: dates and times in the
  years `tessera.core.dates` accepts (1900-2200), else `out_of_range` (never an overflow).
- `LocalTimeField`: a wall-clock time of day without offset (`18:00` or `18:00:00`), as the
  schema says: OpenAPI's `format: time` is RFC 3339's full-time, which requires an offset.
- `IdField`: a positive integer that fits a bigint (a huge number is a 400, not a 500).
- `ID_PATTERN`: the same for ids in URLs (routers' `lookup_value_regex`): anything else is 404.
- `IdFilter`: the same for ids in query parameters (django-filter).
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time
from typing import Any

import django_filters
from django import forms
from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from tessera.core.dates import (
    MAX_YEAR,
    MIN_YEAR,
    OUT_OF_RANGE,
    OUT_OF_RANGE_MESSAGE,
    date_in_range,
    datetime_in_range,
)

MAX_ID = 2**63 - 1
ID_PATTERN = r"[0-9]{1,18}"


class AwareDateTimeField(serializers.DateTimeField):
    default_error_messages = {
        "naive_datetime": "Give the time with its offset, e.g. 2026-05-04T09:00:00+01:00 or …Z.",
        OUT_OF_RANGE: OUT_OF_RANGE_MESSAGE,
    }

    def to_internal_value(self, value: Any) -> datetime:
        if not isinstance(value, str | datetime):
            self.fail("invalid", format="ISO 8601 with offset")
        parsed = super().to_internal_value(value)
        if timezone.is_naive(parsed):
            self.fail("naive_datetime")
        if not datetime_in_range(parsed):
            self.fail(OUT_OF_RANGE)
        return parsed.astimezone(UTC)

    def enforce_timezone(self, value: datetime) -> datetime:
        # Parsing: keep what the client sent, so a naive time can be refused, never guessed.
        # Output: DRF's rule (the active time zone, see `?tz=`).
        if timezone.is_naive(value):
            return value
        return super().enforce_timezone(value)


class BoundedDateField(serializers.DateField):
    """A date (2026-05-04) in the accepted years."""

    default_error_messages = {OUT_OF_RANGE: OUT_OF_RANGE_MESSAGE}

    def to_internal_value(self, value: Any) -> date:
        parsed = super().to_internal_value(value)
        if not date_in_range(parsed):
            self.fail(OUT_OF_RANGE)
        return parsed


LOCAL_TIME_PATTERN = r"^([01]?[0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\.[0-9]{1,6})?)?$"


@extend_schema_field(
    {
        "type": "string",
        "pattern": LOCAL_TIME_PATTERN,
        "example": "18:00:00",
        "description": "Local wall-clock time (HH:MM or HH:MM:SS), without offset.",
    }
)
class LocalTimeField(serializers.TimeField):
    """A time of day in someone's local time: an offset is refused (`offset_not_allowed`), as it
    would make the wall time mean something else on each side of a daylight-saving change."""

    default_error_messages = {
        "offset_not_allowed": "Give a local time without offset, e.g. 18:00.",
    }

    def to_internal_value(self, value: Any) -> time:
        if isinstance(value, str) and not re.fullmatch(LOCAL_TIME_PATTERN, value.strip()):
            if re.search(r"[Zz+]|\d-", value):
                self.fail("offset_not_allowed")
            self.fail("invalid", format="HH:MM[:SS]")
        if not isinstance(value, str | time) or getattr(value, "tzinfo", None) is not None:
            self.fail("invalid", format="HH:MM[:SS]")
        parsed: time = super().to_internal_value(value)
        return parsed


class IdField(serializers.IntegerField):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(**kwargs)

    def to_internal_value(self, data: Any) -> int:
        if isinstance(data, bool | float):
            self.fail("invalid")
        return super().to_internal_value(data)


class MinutesField(serializers.IntegerField):
    """A whole number of minutes (not a string, not a float, not a boolean)."""

    def to_internal_value(self, data: Any) -> int:
        if isinstance(data, bool | float):
            self.fail("invalid")
        return super().to_internal_value(data)


class IdFilter(django_filters.Filter):
    """A query parameter that is an id: a whole number that fits a bigint, else a 400."""

    field_class = forms.IntegerField

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)


__all__ = [
    "ID_PATTERN",
    "MAX_ID",
    "MAX_YEAR",
    "MIN_YEAR",
    "AwareDateTimeField",
    "BoundedDateField",
    "IdField",
    "IdFilter",
    "LocalTimeField",
    "MinutesField",
]
