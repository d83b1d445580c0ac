"""Shapes of holds."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from tessera.api.serializers import Output

from ... import conf
from ..fields import CountField, IdListField


class HoldCreateInput(serializers.Serializer):
    """Either `seat_ids` (reserved seating) or `quantity` (general admission)."""

    seat_ids = IdListField(required=False, max_length=conf.ITEMS_CEILING)
    quantity = CountField(min_value=1, max_value=conf.ITEMS_CEILING, required=False)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if ("seat_ids" in attrs) == ("quantity" in attrs):
            raise serializers.ValidationError(
                {"seat_ids": "Give seat_ids (seats) or quantity (places), not both."},
                code="required",
            )
        return attrs


class HoldOutput(Output):
    """`state`: active, expired (its time passed), released, or consumed (booked)."""

    token = serializers.CharField(read_only=True)
    show = serializers.IntegerField(source="show_id", read_only=True)
    state = serializers.ChoiceField(
        choices=["active", "expired", "released", "consumed"], read_only=True
    )
    seat_ids = serializers.ListField(child=serializers.IntegerField(), read_only=True)
    quantity = serializers.IntegerField(read_only=True)
    price = serializers.DecimalField(max_digits=10, decimal_places=2, read_only=True)
    currency = serializers.CharField(source="show.currency", read_only=True)
    expires_at = serializers.DateTimeField(read_only=True)
    booking = serializers.IntegerField(source="booking_id", read_only=True, allow_null=True)
