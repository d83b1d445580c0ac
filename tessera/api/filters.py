"""Query-parameter filters shared by the apps' list endpoints (django-filter glue): dates and
times in the accepted years (`tessera.core.dates`), times with their offset."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import django_filters
from django import forms
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from tessera.core.dates import (
    OUT_OF_RANGE,
    OUT_OF_RANGE_MESSAGE,
    date_in_range,
    datetime_in_range,
)


class BoundedDateFormField(forms.DateField):
    """A date query parameter in the accepted years."""

    default_error_messages = {OUT_OF_RANGE: OUT_OF_RANGE_MESSAGE}

    def to_python(self, value: Any) -> date | None:
        parsed: date | None = super().to_python(value)
        if parsed is not None and not date_in_range(parsed):
            raise forms.ValidationError(self.error_messages[OUT_OF_RANGE], code=OUT_OF_RANGE)
        return parsed


class BoundedDateFilter(django_filters.DateFilter):
    field_class = BoundedDateFormField


class AwareDateTimeFormField(forms.DateTimeField):
    """A time query parameter: ISO 8601 with an offset (else `naive_datetime`), in the accepted
    years (else `out_of_range`)."""

    default_error_messages = {
        "naive_datetime": "Give the time with its offset, e.g. 2026-05-04T09:00:00Z.",
        OUT_OF_RANGE: OUT_OF_RANGE_MESSAGE,
    }

    def to_python(self, value: Any) -> datetime | None:
        if value in self.empty_values:
            return None
        try:
            parsed = parse_datetime(str(value).strip())
        except ValueError:
            parsed = None
        if parsed is None:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        if timezone.is_naive(parsed):
            raise forms.ValidationError(
                self.error_messages["naive_datetime"], code="naive_datetime"
            )
        if not datetime_in_range(parsed):
            raise forms.ValidationError(self.error_messages[OUT_OF_RANGE], code=OUT_OF_RANGE)
        return parsed


class AwareDateTimeFilter(django_filters.Filter):
    field_class = AwareDateTimeFormField
