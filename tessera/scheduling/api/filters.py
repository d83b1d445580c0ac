"""Filters of the resource list: kind, owner, active flag and a text search."""

from __future__ import annotations

import django_filters
from django.db.models import Q, QuerySet

from tessera.api.fields import IdFilter

from ..models import Resource, ResourceKind


class ResourceFilter(django_filters.FilterSet):
    kind = django_filters.MultipleChoiceFilter(
        choices=ResourceKind.choices, help_text="One or more kinds (repeat the parameter)."
    )
    owner = IdFilter(field_name="owner_id", help_text="Id of the owner.")
    is_active = django_filters.BooleanFilter()
    q = django_filters.CharFilter(
        method="search", max_length=100, help_text="Text in the name, description or location."
    )

    class Meta:
        model = Resource
        fields = ["kind", "owner", "is_active", "q"]

    def search(self, queryset: QuerySet[Resource], name: str, value: str) -> QuerySet[Resource]:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(name__icontains=value)
            | Q(description__icontains=value)
            | Q(location__icontains=value)
        )
