"""Shapes of venues, halls, layouts and seats."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from tessera.api.fields import IdField
from tessera.api.serializers import Output

from ..fields import NumbersField, RowsField, capacity_field, category_field


class VenueInput(serializers.Serializer):
    """The earlier event platform's venue: name, location, capacity, facilities. A time zone
    (IANA, default UTC) says where a show's local date and time are; staff may name the
    organizer who owns it (`owner`)."""

    name = serializers.CharField(max_length=200)
    location = serializers.CharField(max_length=255, allow_blank=True, default="")
    capacity = capacity_field()
    facilities = serializers.CharField(max_length=1000, allow_blank=True, default="")
    timezone = serializers.CharField(max_length=64, required=False)
    owner = IdField(required=False, help_text="Staff only: the organizer who owns the venue.")


class HallRef(Output):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)


class VenueOutput(Output):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)
    location = serializers.CharField(read_only=True)
    capacity = serializers.IntegerField(read_only=True)
    facilities = serializers.CharField(read_only=True)
    timezone = serializers.CharField(read_only=True)
    owner = serializers.IntegerField(source="owner_id", read_only=True)
    halls = HallRef(many=True, read_only=True)


class LayoutBlockInput(serializers.Serializer):
    rows = RowsField()
    numbers = NumbersField()
    category = category_field(required=False)
    gaps = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=9999),
        required=False,
        max_length=1000,
        help_text="Seat numbers left out of every row of the block (an aisle).",
    )


class LayoutInput(serializers.Serializer):
    """A whole hall in one request: blocks of rows x numbers (with gaps and a category), and
    seat labels ("N12", or "3-12" for a numbered row) that are accessible or blocked."""

    blocks = serializers.ListField(child=LayoutBlockInput(), min_length=1, max_length=200)
    accessible = serializers.ListField(
        child=serializers.CharField(max_length=20), required=False, max_length=10_000
    )
    blocked = serializers.ListField(
        child=serializers.CharField(max_length=20), required=False, max_length=10_000
    )


class HallCreateInput(serializers.Serializer):
    venue = IdField()
    name = serializers.CharField(max_length=100)
    layout = LayoutInput(required=False, help_text="Seats to create with the hall.")


class HallUpdateInput(serializers.Serializer):
    name = serializers.CharField(max_length=100)


class HallOutput(Output):
    id = serializers.IntegerField(read_only=True)
    venue = serializers.IntegerField(source="venue_id", read_only=True)
    name = serializers.CharField(read_only=True)
    seat_count = serializers.IntegerField(read_only=True)
    seats_for_sale = serializers.IntegerField(read_only=True, help_text="Seats not blocked.")


class LayoutOutput(Output):
    hall = HallOutput(read_only=True)
    created = serializers.IntegerField(read_only=True)
    updated = serializers.IntegerField(read_only=True)
    removed = serializers.IntegerField(read_only=True)
    total = serializers.IntegerField(read_only=True)


class SeatOutput(Output):
    id = serializers.IntegerField(read_only=True)
    row = serializers.CharField(read_only=True)
    number = serializers.IntegerField(read_only=True)
    category = serializers.CharField(read_only=True)
    accessible = serializers.BooleanField(read_only=True)
    blocked = serializers.BooleanField(read_only=True)


class SeatUpdateInput(serializers.Serializer):
    category = category_field(required=False)
    accessible = serializers.BooleanField(required=False)
    blocked = serializers.BooleanField(required=False)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if not attrs:
            raise serializers.ValidationError("Nothing to change.", code="empty")
        return attrs
