"""Filters of booking lists: customer, resource, provider, status, kind, time range, ordering."""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from tessera.api.fields import IdFilter

from ..models import Booking, BookingKind, BookingStatus, TimeAllocation


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


class BookingFilter(django_filters.FilterSet):
    customer = IdFilter(field_name="customer_id", help_text="Id of the customer.")
    resource = IdFilter(method="by_resource", help_text="Id of a resource held.")
    provider = IdFilter(method="by_provider", help_text="Id of the owner of a resource held.")
    status = django_filters.MultipleChoiceFilter(
        choices=BookingStatus.choices, help_text="One or more statuses (repeat the parameter)."
    )
    kind = django_filters.MultipleChoiceFilter(choices=BookingKind.choices)
    # A booking is in the range [from, to) when it overlaps it.
    from_ = AwareDateTimeFilter(
        field_name="ends_at", lookup_expr="gt", label="from", help_text="Ends after this time."
    )
    to = AwareDateTimeFilter(
        field_name="starts_at", lookup_expr="lt", help_text="Starts before this time."
    )
    ordering = django_filters.OrderingFilter(
        fields=(
            ("starts_at", "start_time"),
            ("created_at", "created_at"),
            ("status", "status"),
            ("id", "id"),
        ),
        help_text="start_time, created_at, status or id; prefix with - to reverse.",
    )

    class Meta:
        model = Booking
        fields: list[str] = []

    def by_resource(self, queryset: QuerySet[Booking], name: str, value: int) -> QuerySet[Booking]:
        held = TimeAllocation.objects.filter(booking=OuterRef("pk"), resource_id=value)
        return queryset.filter(Exists(held))

    def by_provider(self, queryset: QuerySet[Booking], name: str, value: int) -> QuerySet[Booking]:
        held = TimeAllocation.objects.filter(booking=OuterRef("pk"), resource__owner_id=value)
        return queryset.filter(Exists(held))


# `from` is a keyword in Python: the filter is declared as `from_` and published as `from`.
BookingFilter.base_filters["from"] = BookingFilter.base_filters.pop("from_")
