"""Input fields of the events API that refuse what would surprise a service or the database."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from tessera.api.fields import MAX_ID, BoundedDateField

from ..domain.layout import MAX_NUMBER

CATEGORY_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9 _-]{0,31}$"
MAX_CAPACITY = 1_000_000
MAX_PRICE = Decimal("999999.99")


class CountField(serializers.IntegerField):
    """A whole number (not a string of one, not a float, not a boolean)."""

    def to_internal_value(self, data: Any) -> int:
        if isinstance(data, bool | float | str):
            self.fail("invalid")
        return super().to_internal_value(data)


def capacity_field(**kwargs: Any) -> CountField:
    return CountField(min_value=1, max_value=MAX_CAPACITY, **kwargs)


class AmountField(serializers.DecimalField):
    """A price: at most 999,999.99, never negative; a string ("12.50") or a number."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_digits", 8)
        kwargs.setdefault("decimal_places", 2)
        kwargs.setdefault("min_value", Decimal("0"))
        kwargs.setdefault("max_value", MAX_PRICE)
        super().__init__(**kwargs)

    def to_internal_value(self, data: Any) -> Decimal:
        if isinstance(data, bool):
            self.fail("invalid")
        return super().to_internal_value(data)


def category_field(**kwargs: Any) -> serializers.RegexField:
    return serializers.RegexField(
        CATEGORY_PATTERN,
        max_length=32,
        error_messages={"invalid": "1-32 letters, digits, spaces, _ or -."},
        **kwargs,
    )


class IdListField(serializers.ListField):
    """Distinct positive ids (a bigint each), at least one."""

    def __init__(self, **kwargs: Any) -> None:
        from tessera.api.fields import IdField

        kwargs.setdefault("child", IdField())
        kwargs.setdefault("min_length", 1)
        super().__init__(**kwargs)

    def to_internal_value(self, data: Any) -> list[int]:
        if isinstance(data, str | dict):
            self.fail("not_a_list", input_type=type(data).__name__)
        ids: list[int] = super().to_internal_value(data)
        if len(set(ids)) != len(ids):
            raise serializers.ValidationError("An id is listed twice.", code="duplicate")
        return ids


@extend_schema_field(
    {
        "oneOf": [
            {"type": "string", "example": "A-N"},
            {"type": "array", "items": {"type": "string"}, "example": ["A", "B"]},
        ],
        "description": "One row label, a range such as A-N or 1-12, or a list of labels.",
    }
)
class RowsField(serializers.Field):
    def to_internal_value(self, data: Any) -> str | list[str]:
        if isinstance(data, str) and 0 < len(data) <= 20:
            return data
        if (
            isinstance(data, list)
            and 0 < len(data) <= 1000
            and all(isinstance(item, str) and 0 < len(item) <= 8 for item in data)
        ):
            return data
        raise serializers.ValidationError(
            "Give a row label, a range (A-N) or a list of labels.", code="invalid"
        )

    def to_representation(self, value: Any) -> Any:
        return value


@extend_schema_field(
    {
        "oneOf": [
            {"type": "string", "example": "1-20"},
            {"type": "integer", "minimum": 1, "maximum": MAX_NUMBER},
            {"type": "array", "items": {"type": "integer", "minimum": 1, "maximum": MAX_NUMBER}},
        ],
        "description": "A range such as 1-20, one number, or a list of numbers.",
    }
)
class NumbersField(serializers.Field):
    def to_internal_value(self, data: Any) -> str | int | list[int]:
        if isinstance(data, str) and 0 < len(data) <= 20:
            return data
        if isinstance(data, int) and not isinstance(data, bool) and 1 <= data <= MAX_NUMBER:
            return data
        if (
            isinstance(data, list)
            and 0 < len(data) <= MAX_NUMBER
            and all(
                isinstance(n, int) and not isinstance(n, bool) and 1 <= n <= MAX_NUMBER
                for n in data
            )
        ):
            return data
        raise serializers.ValidationError(
            f"Give a range (1-20), a number or a list of numbers from 1 to {MAX_NUMBER}.",
            code="invalid",
        )

    def to_representation(self, value: Any) -> Any:
        return value


__all__ = [
    "MAX_ID",
    "AmountField",
    "BoundedDateField",
    "CountField",
    "IdListField",
    "NumbersField",
    "RowsField",
    "capacity_field",
    "category_field",
]
