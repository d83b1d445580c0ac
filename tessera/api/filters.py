"""Query-parameter filters shared by the apps' list endpoints (django-filter glue)."""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.utils import timezone


class AwareDateTimeFormField(forms.DateTimeField):
    """A form field for query parameters: ISO 8601 with an offset, or a 400 `naive_datetime`."""

    default_error_messages = {
        "naive_datetime": "Give the time with its offset, e.g. 2026-05-04T09:00:00Z.",
    }

    def to_python(self, value: Any) -> Any:
        from django.utils.dateparse import parse_datetime

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
        if not 1900 <= parsed.year <= 2200:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return parsed


class AwareDateTimeFilter(django_filters.Filter):
    field_class = AwareDateTimeFormField
