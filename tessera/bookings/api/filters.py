"""Filters of booking lists: customer, resource, provider, status, kind, time range, ordering."""

from __future__ import annotations

import django_filters
from django.db.models import Exists, OuterRef, QuerySet

from tessera.api.fields import IdFilter
from tessera.api.filters import AwareDateTimeFilter

from ..models import Booking, BookingKind, BookingStatus, TimeAllocation


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
