"""Search and filters of the catalogue: events and shows."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Exists, OuterRef, Q, QuerySet

from tessera.api.fields import MAX_ID
from tessera.api.filters import AwareDateTimeFilter, BoundedDateFilter
from tessera.core.clock import utcnow

from ..models import Event, Seating, Show, ShowStatus


def _id(help_text: str, **kwargs: Any) -> django_filters.NumberFilter:
    return django_filters.NumberFilter(min_value=1, max_value=MAX_ID, help_text=help_text, **kwargs)


class EventFilter(django_filters.FilterSet):
    """`venue`, `date_from` and `date_to` select events with a show (not cancelled) that
    matches all of them; dates are local at the venue."""

    category = django_filters.CharFilter(
        field_name="category", lookup_expr="iexact", help_text="Category or genre."
    )
    genre = django_filters.CharFilter(
        field_name="category", lookup_expr="iexact", help_text="Same as category."
    )
    q = django_filters.CharFilter(method="search", help_text="Words in the title or description.")
    owner = _id("Id of the organizer.", field_name="owner_id")
    venue = _id("Has a show at this venue.", method="by_show")
    date_from = BoundedDateFilter(method="by_show", help_text="Has a show on or after.")
    date_to = BoundedDateFilter(method="by_show", help_text="Has a show on or before.")
    ordering = django_filters.OrderingFilter(
        fields=(("title", "title"), ("next_show_at", "next_show_at"), ("id", "id")),
        help_text="title, next_show_at or id; prefix with - to reverse.",
    )

    class Meta:
        model = Event
        fields: list[str] = []

    def search(self, queryset: QuerySet[Event], name: str, value: str) -> QuerySet[Event]:
        for word in value.split()[:10]:
            queryset = queryset.filter(Q(title__icontains=word) | Q(description__icontains=word))
        return queryset

    def by_show(self, queryset: QuerySet[Event], name: str, value: Any) -> QuerySet[Event]:
        return queryset  # applied together in filter_queryset, on one show

    def filter_queryset(self, queryset: QuerySet[Event]) -> QuerySet[Event]:
        queryset = super().filter_queryset(queryset)
        data = self.form.cleaned_data
        shows = Show.objects.filter(event=OuterRef("pk")).exclude(status=ShowStatus.CANCELLED)
        wanted = False
        if data.get("venue") is not None:
            shows, wanted = shows.filter(venue_id=data["venue"]), True
        if data.get("date_from") is not None:
            shows, wanted = shows.filter(local_date__gte=data["date_from"]), True
        if data.get("date_to") is not None:
            shows, wanted = shows.filter(local_date__lte=data["date_to"]), True
        return queryset.filter(Exists(shows)) if wanted else queryset


class ShowFilter(django_filters.FilterSet):
    event = _id("Id of the event.", field_name="event_id")
    venue = _id("Id of the venue.", field_name="venue_id")
    hall = _id("Id of the hall.", field_name="hall_id")
    category = django_filters.CharFilter(
        field_name="event__category", lookup_expr="iexact", help_text="The event's category."
    )
    genre = django_filters.CharFilter(
        field_name="event__category", lookup_expr="iexact", help_text="Same as category."
    )
    date = BoundedDateFilter(field_name="local_date", help_text="Local date at the venue.")
    date_from = BoundedDateFilter(field_name="local_date", lookup_expr="gte")
    date_to = BoundedDateFilter(field_name="local_date", lookup_expr="lte")
    starts_after = AwareDateTimeFilter(field_name="starts_at", lookup_expr="gte")
    starts_before = AwareDateTimeFilter(field_name="starts_at", lookup_expr="lt")
    status = django_filters.ChoiceFilter(choices=ShowStatus.choices)
    seating = django_filters.ChoiceFilter(choices=Seating.choices)
    available = django_filters.BooleanFilter(
        method="by_available", help_text="true: places left (and on sale); false: sold out."
    )
    ordering = django_filters.OrderingFilter(
        fields=(("starts_at", "starts_at"), ("places_left", "places_left"), ("id", "id")),
        help_text="starts_at, places_left or id; prefix with - to reverse.",
    )

    class Meta:
        model = Show
        fields: list[str] = []

    def by_available(self, queryset: QuerySet[Show], name: str, value: bool) -> QuerySet[Show]:
        if value:
            on_sale = queryset.filter(status=ShowStatus.SCHEDULED, starts_at__gt=utcnow())
            return on_sale.filter(**{"places_left__gt": 0})  # an annotation (selectors)
        return queryset.filter(**{"places_left__lte": 0})
