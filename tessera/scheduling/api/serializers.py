"""Input and output shapes of the resources API (named per operation)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from rest_framework import serializers

from tessera.api.fields import BoundedDateField, IdField, LocalTimeField, MinutesField
from tessera.api.serializers import ModelOutput, Output

from ..models import Closure, ExtraOpening, Resource, ResourceKind, Weekday, WeeklyHours
from ..models.resources import MAX_ADVANCE_DAYS, MAX_CAPACITY, MAX_MINUTES


def _minutes(help_text: str, *, nullable: bool = False) -> MinutesField:
    return MinutesField(
        min_value=1 if nullable else 0,
        max_value=MAX_MINUTES,
        required=False,
        allow_null=nullable,
        help_text=help_text,
    )


class ResourceRules(serializers.Serializer):
    """Booking rules, in minutes except `max_advance` (days); null falls back to the default."""

    default_duration = _minutes(
        "Minutes a booking lasts when the request gives no end (null: platform default).",
        nullable=True,
    )
    slot_step = _minutes(
        "Minutes between offered slot starts (null: the booking's duration).", nullable=True
    )
    buffer_before = _minutes("Minutes kept free before each booking.")
    buffer_after = _minutes("Minutes kept free after each booking.")
    min_notice = _minutes("Bookings start at least this many minutes from now.")
    max_advance = MinutesField(
        min_value=0,
        max_value=MAX_ADVANCE_DAYS,
        required=False,
        allow_null=True,
        help_text="Bookings start at most this many days ahead (null: platform default).",
    )
    cancellation_deadline = _minutes(
        "A customer may cancel or move a booking until this many minutes before it starts."
    )
    approval_required = serializers.BooleanField(
        required=False, help_text="Bookings stay pending until the owner confirms them."
    )
    guest_booking = serializers.BooleanField(
        required=False,
        help_text="People may book on the web pages without an account; the booking is held "
        "as pending until they confirm their email address through a link.",
    )


class OwnerRef(Output):
    id = serializers.IntegerField(read_only=True)
    username = serializers.CharField(read_only=True)


class ResourceOutput(ModelOutput):
    max_slots = serializers.IntegerField(
        source="capacity", read_only=True, help_text="The capacity, as the academy system named it."
    )
    owner = OwnerRef(read_only=True)
    rules = ResourceRules(source="*", read_only=True)

    class Meta:
        model = Resource
        fields = [
            "id",
            "name",
            "kind",
            "description",
            "location",
            "capacity",
            "max_slots",
            "timezone",
            "owner",
            "is_active",
            "rules",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class _ResourceWrite(serializers.Serializer):
    name = serializers.CharField(max_length=120)
    kind = serializers.ChoiceField(choices=ResourceKind.choices)
    description = serializers.CharField(max_length=5000, required=False, allow_blank=True)
    location = serializers.CharField(
        max_length=255, required=False, allow_blank=True, help_text="Where it is, for people."
    )
    capacity = IdField(
        max_value=MAX_CAPACITY,
        required=False,
        help_text="How many bookings may overlap (1 = exclusive); `max_slots` is accepted too.",
    )
    max_slots = IdField(max_value=MAX_CAPACITY, required=False, write_only=True)
    timezone = serializers.CharField(max_length=64, help_text="IANA time zone, e.g. Europe/Lisbon.")
    owner = serializers.PrimaryKeyRelatedField(
        queryset=get_user_model().objects.all(),
        required=False,
        help_text="Staff only: the provider who owns the resource (default: you).",
        pk_field=IdField(),
    )
    is_active = serializers.BooleanField(required=False)
    rules = ResourceRules(required=False)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        slots = attrs.pop("max_slots", None)
        if slots is not None:
            if attrs.get("capacity", slots) != slots:
                raise serializers.ValidationError(
                    {"max_slots": "Give capacity or max_slots, not two different values."},
                    code="conflicting_fields",
                )
            attrs["capacity"] = slots
        return attrs


class ResourceCreateInput(_ResourceWrite):
    pass


class ResourceUpdateInput(_ResourceWrite):
    """Any subset of the fields; `rules` may also be partial."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.required = False
        rules = self.fields["rules"]
        assert isinstance(rules, serializers.Serializer)
        for field in rules.fields.values():
            field.required = False


class WeeklyHoursItem(serializers.ModelSerializer):
    weekday = serializers.ChoiceField(choices=Weekday.choices, help_text="0 = Monday … 6 = Sunday.")
    start_time = LocalTimeField()
    end_time = LocalTimeField(help_text="Not after the start: the range ends the next day.")

    class Meta:
        model = WeeklyHours
        fields = ["weekday", "start_time", "end_time"]


class WeeklyHoursInput(serializers.Serializer):
    """The whole week: several ranges a day are allowed (the gaps are breaks). A range whose end
    is not after its start runs past midnight."""

    hours = WeeklyHoursItem(many=True, allow_empty=True, max_length=70)  # type: ignore[call-arg]


class WeeklyHoursOutput(Output):
    resource = serializers.IntegerField()
    timezone = serializers.CharField()
    hours = WeeklyHoursItem(many=True)


class SpanInput(serializers.Serializer):
    """A dated span of local time: without times it covers whole days (end date included)."""

    start_date = BoundedDateField()
    start_time = LocalTimeField(required=False, allow_null=True)
    end_date = BoundedDateField(required=False, allow_null=True, help_text="Default: start.")
    end_time = LocalTimeField(required=False, allow_null=True)
    reason = serializers.CharField(max_length=200, required=False, allow_blank=True)


class ClosureOutput(ModelOutput):
    start_time = LocalTimeField(read_only=True, allow_null=True)
    end_time = LocalTimeField(read_only=True, allow_null=True)

    class Meta:
        model = Closure
        fields = ["id", "start_date", "start_time", "end_date", "end_time", "reason"]
        read_only_fields = fields


class OpeningOutput(ModelOutput):
    start_time = LocalTimeField(read_only=True, allow_null=True)
    end_time = LocalTimeField(read_only=True, allow_null=True)

    class Meta:
        model = ExtraOpening
        fields = ["id", "start_date", "start_time", "end_date", "end_time", "reason"]
        read_only_fields = fields


__all__ = [
    "ClosureOutput",
    "OpeningOutput",
    "ResourceCreateInput",
    "ResourceOutput",
    "ResourceUpdateInput",
    "SpanInput",
    "WeeklyHoursInput",
    "WeeklyHoursOutput",
]
