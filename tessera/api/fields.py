"""Input fields that refuse what would otherwise surprise a service or the database.

- `AwareDateTimeField`: ISO 8601 with an offset (`Z` or `+01:00`); a naive time is refused
  (`naive_datetime`) rather than guessed in the server's zone.
- `IdField`: a positive integer that fits a bigint (a huge number is a 400, not a 500).
- `ID_PATTERN`: the same for ids in URLs (routers' `lookup_value_regex`): anything else is 404.
- `IdFilter`: the same for ids in query parameters (django-filter).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import django_filters
from django import forms
from django.utils import timezone
from rest_framework import serializers

MAX_ID = 2**63 - 1
MIN_YEAR, MAX_YEAR = 1900, 2200
ID_PATTERN = r"[0-9]{1,18}"


class AwareDateTimeField(serializers.DateTimeField):
    default_error_messages = {
        "naive_datetime": "Give the time with its offset, e.g. 2026-05-04T09:00:00+01:00 or …Z.",
        "out_of_range": "Times must lie between the years 1900 and 2200.",
    }

    def to_internal_value(self, value: Any) -> datetime:
        if not isinstance(value, str | datetime):
            self.fail("invalid", format="ISO 8601 with offset")
        parsed = super().to_internal_value(value)
        if timezone.is_naive(parsed):
            self.fail("naive_datetime")
        try:
            in_utc = parsed.astimezone(UTC)
        except OverflowError:
            self.fail("out_of_range")
        if not MIN_YEAR <= in_utc.year <= MAX_YEAR:
            self.fail("out_of_range")
        return in_utc

    def enforce_timezone(self, value: datetime) -> datetime:
        # Parsing: keep what the client sent, so a naive time can be refused, never guessed.
        # Output: DRF's rule (the active time zone, see `?tz=`).
        if timezone.is_naive(value):
            return value
        return super().enforce_timezone(value)


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
