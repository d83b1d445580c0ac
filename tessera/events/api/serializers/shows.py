"""Shapes of events, shows, showtimes and seat maps."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from tessera.api.fields import AwareDateTimeField, IdField, LocalTimeField
from tessera.api.serializers import Output

from ...models import Seating, ShowStatus
from ..fields import (
    AmountField,
    BoundedDateField,
    CountField,
    capacity_field,
    category_field,
)

_LEGACY = ("date", "time", "venue", "capacity")


class EventCreateInput(serializers.Serializer):
    """An event. With `date`, `time`, `venue` and `capacity` (the earlier event platform's
    shape) it gets one general-admission show there: date and time in the venue's zone."""

    title = serializers.CharField(max_length=200)
    description = serializers.CharField(max_length=10_000, allow_blank=True, default="")
    category = serializers.CharField(
        max_length=50, allow_blank=True, default="", help_text="Category or genre."
    )
    duration_minutes = CountField(min_value=1, max_value=100_000, required=False)
    requires_approval = serializers.BooleanField(default=False)
    owner = IdField(required=False, help_text="Staff only: the organizer who owns the event.")
    date = BoundedDateField(required=False)
    time = LocalTimeField(required=False, help_text="Local time at the venue.")
    venue = IdField(required=False)
    capacity = capacity_field(required=False)
    price = AmountField(required=False, help_text="Price of a place at that show.")

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        given = [name for name in _LEGACY if name in attrs]
        if given and len(given) != len(_LEGACY):
            missing = [name for name in _LEGACY if name not in attrs]
            raise serializers.ValidationError(
                dict.fromkeys(missing, "Give date, time, venue and capacity together."),
                code="required",
            )
        if "price" in attrs and not given:
            raise serializers.ValidationError(
                {"price": "A price belongs to a show: give date, time, venue and capacity."},
                code="not_allowed",
            )
        return attrs


class EventUpdateInput(serializers.Serializer):
    title = serializers.CharField(max_length=200, required=False)
    description = serializers.CharField(max_length=10_000, allow_blank=True, required=False)
    category = serializers.CharField(max_length=50, allow_blank=True, required=False)
    duration_minutes = CountField(min_value=1, max_value=100_000, required=False, allow_null=True)
    requires_approval = serializers.BooleanField(required=False)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if not attrs:
            raise serializers.ValidationError("Nothing to change.", code="empty")
        return attrs


class EventOutput(Output):
    """An event. `date`, `time`, `venue` and `capacity` are its show's when it has exactly one
    (the earlier event platform's shape; local date and time at the venue), else null."""

    id = serializers.IntegerField(read_only=True)
    title = serializers.CharField(read_only=True)
    description = serializers.CharField(read_only=True)
    category = serializers.CharField(read_only=True)
    duration_minutes = serializers.IntegerField(read_only=True, allow_null=True)
    requires_approval = serializers.BooleanField(read_only=True)
    owner = serializers.IntegerField(source="owner_id", read_only=True)
    show_count = serializers.IntegerField(read_only=True)
    next_show_at = serializers.DateTimeField(read_only=True, allow_null=True)
    date = serializers.SerializerMethodField()
    time = serializers.SerializerMethodField()
    venue = serializers.SerializerMethodField()
    capacity = serializers.SerializerMethodField()

    def _only(self, event: Any) -> dt.datetime | None:
        if event.show_count != 1 or event.only_starts_at is None:
            return None
        return event.only_starts_at.astimezone(ZoneInfo(event.only_timezone))

    @extend_schema_field(serializers.DateField(allow_null=True))
    def get_date(self, event: Any) -> dt.date | None:
        local = self._only(event)
        return local.date() if local else None

    @extend_schema_field(LocalTimeField(allow_null=True))
    def get_time(self, event: Any) -> str | None:
        local = self._only(event)
        return local.time().isoformat() if local else None

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_venue(self, event: Any) -> int | None:
        return event.only_venue_id if event.show_count == 1 else None

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_capacity(self, event: Any) -> int | None:
        return event.only_capacity if event.show_count == 1 else None


def _prices_field(**kwargs: Any) -> serializers.DictField:
    return serializers.DictField(
        child=AmountField(),
        help_text='Price per seat category, e.g. {"standard": "12.50", "premium": "18"}.',
        **kwargs,
    )


def _check_prices(prices: dict[str, Decimal]) -> dict[str, Decimal]:
    field = category_field()
    if len(prices) > 50:
        raise serializers.ValidationError("At most 50 categories.", code="max_length")
    for category in prices:
        try:
            field.run_validation(category)
        except serializers.ValidationError as exc:
            raise serializers.ValidationError(
                f"{category!r} is not a category name: 1-32 letters, digits, _ or -.",
                code="invalid",
            ) from exc
    return prices


class ShowCreateInput(serializers.Serializer):
    """A show of an event at a venue (and a hall). Reserved seating sells the hall's seats;
    general admission sells `capacity` places. Without `ends_at` the show lasts the event's
    duration."""

    event = IdField()
    venue = IdField()
    hall = IdField(required=False, allow_null=True)
    starts_at = AwareDateTimeField()
    ends_at = AwareDateTimeField(required=False)
    seating = serializers.ChoiceField(choices=Seating.choices, required=False)
    capacity = capacity_field(required=False)
    price = AmountField(
        default=Decimal("0"), help_text="A place, or a seat whose category has none."
    )
    prices = _prices_field(required=False)
    currency = serializers.RegexField(r"^[A-Z]{3}$", required=False, help_text="ISO 4217.")

    def validate_prices(self, prices: dict[str, Decimal]) -> dict[str, Decimal]:
        return _check_prices(prices)


class ShowUpdateInput(serializers.Serializer):
    starts_at = AwareDateTimeField(required=False)
    ends_at = AwareDateTimeField(required=False)
    capacity = capacity_field(required=False)
    price = AmountField(required=False)
    prices = _prices_field(required=False)

    def validate_prices(self, prices: dict[str, Decimal]) -> dict[str, Decimal]:
        return _check_prices(prices)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if not attrs:
            raise serializers.ValidationError("Nothing to change.", code="empty")
        return attrs


class ShowCancelInput(serializers.Serializer):
    reason = serializers.CharField(max_length=255, required=False, allow_blank=True, default="")


class ShowOutput(Output):
    """A show; `places_left` counts what is neither sold nor held by a live hold."""

    id = serializers.IntegerField(read_only=True)
    event = serializers.IntegerField(source="event_id", read_only=True)
    event_title = serializers.CharField(source="event.title", read_only=True)
    category = serializers.CharField(source="event.category", read_only=True)
    venue = serializers.IntegerField(source="venue_id", read_only=True)
    venue_name = serializers.CharField(source="venue.name", read_only=True)
    hall = serializers.IntegerField(source="hall_id", read_only=True, allow_null=True)
    hall_name = serializers.SerializerMethodField()
    starts_at = serializers.DateTimeField(read_only=True)
    ends_at = serializers.DateTimeField(read_only=True)
    timezone = serializers.CharField(source="venue.timezone", read_only=True)
    local_date = serializers.DateField(read_only=True)
    local_time = serializers.SerializerMethodField()
    seating = serializers.ChoiceField(choices=Seating.choices, read_only=True)
    capacity = serializers.IntegerField(
        source="places_total", read_only=True, help_text="Places, or seats for sale."
    )
    places_left = serializers.IntegerField(read_only=True)
    price = serializers.DecimalField(max_digits=8, decimal_places=2, read_only=True)
    prices = serializers.SerializerMethodField()
    currency = serializers.CharField(read_only=True)
    status = serializers.ChoiceField(choices=ShowStatus.choices, read_only=True)

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_hall_name(self, show: Any) -> str | None:
        return show.hall.name if show.hall_id else None

    @extend_schema_field(LocalTimeField())
    def get_local_time(self, show: Any) -> str:
        local: dt.time = show.starts_at.astimezone(ZoneInfo(show.venue.timezone)).time()
        return local.isoformat()

    @extend_schema_field(serializers.DictField(child=serializers.DecimalField(8, 2)))
    def get_prices(self, show: Any) -> dict[str, str]:
        return {price.category: f"{price.amount:.2f}" for price in show.prices.all()}


class SeatMapSeat(Output):
    id = serializers.IntegerField()
    row = serializers.CharField()
    number = serializers.IntegerField()
    category = serializers.CharField()
    price = serializers.DecimalField(max_digits=8, decimal_places=2)
    accessible = serializers.BooleanField()
    status = serializers.ChoiceField(choices=["available", "held", "booked", "blocked"])


class SeatMapCounts(Output):
    available = serializers.IntegerField()
    held = serializers.IntegerField()
    booked = serializers.IntegerField()
    blocked = serializers.IntegerField()


class SeatMapOutput(Output):
    """Every seat of the show's hall in layout order (empty for general admission)."""

    show = serializers.IntegerField()
    hall = serializers.IntegerField(allow_null=True)
    seating = serializers.ChoiceField(choices=Seating.choices)
    currency = serializers.CharField()
    counts = SeatMapCounts()
    seats = SeatMapSeat(many=True)
