"""The ticket shapes of `POST /api/bookings/` (routes: `tessera.bookings.api.kinds`; what a
ticket booking shows is declared in `tessera.bookings.api.ticket_fields`).

- `{"show_id", "seat_ids"}`: those seats (reserved seating), all or none;
- `{"show", "quantity"}`: places (general admission; `show_id` is accepted too);
- `{"hold": token}`: what a live hold keeps;
- `{"user", "event"}`: a place at an event with one show (`quantity`, default 1).

Each takes `user` (or `customer`): staff and the show's organizer may book for someone else,
a customer only for themself; and `notes`. The price and the status are set by Tessera:
sending them is a 400.
"""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from tessera.api.fields import IdField

from ... import conf
from ..fields import CountField, IdListField

MAX_NOTES = 5000
_SHAPE_KEYS = {"show_id", "show", "seat_ids", "quantity", "hold", "event"}
_SET_BY_TESSERA = ("price", "status")


class _TicketInput(serializers.Serializer):
    user = IdField(required=False, help_text="Book for this user (staff, the organizer).")
    customer = IdField(required=False, help_text="Same as `user`.")
    notes = serializers.CharField(max_length=MAX_NOTES, required=False, allow_blank=True)

    own_keys: frozenset[str] = frozenset()

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        body = self.initial_data if isinstance(self.initial_data, dict) else {}
        errors: dict[str, str] = {}
        for name in _SET_BY_TESSERA:
            if name in body:
                errors[name] = f"The {name} is set by Tessera; leave it out."
        for name in sorted((_SHAPE_KEYS - self.own_keys) & set(body)):
            errors[name] = "Not part of this kind of booking request."
        if errors:
            raise serializers.ValidationError(errors, code="not_allowed")
        user, customer = attrs.pop("user", None), attrs.pop("customer", None)
        if user is not None and customer is not None and user != customer:
            raise serializers.ValidationError(
                {"user": "user and customer name different people."}, code="conflicting_fields"
            )
        attrs["customer_id"] = user or customer
        return attrs


def _show_of(attrs: dict[str, Any]) -> dict[str, Any]:
    show, show_id = attrs.pop("show", None), attrs.pop("show_id", None)
    if show is not None and show_id is not None and show != show_id:
        raise serializers.ValidationError(
            {"show_id": "show and show_id name different shows."}, code="conflicting_fields"
        )
    if show is None and show_id is None:
        raise serializers.ValidationError({"show_id": "Name the show."}, code="required")
    attrs["show_id"] = show_id or show
    return attrs


class BookingSeatsCreateInput(_TicketInput):
    """Seats at a reserved-seating show, all or none (`seat_taken` names the ones gone)."""

    show_id = IdField(required=False)
    show = IdField(required=False, help_text="Same as `show_id`.")
    seat_ids = IdListField(max_length=conf.ITEMS_CEILING)
    own_keys = frozenset({"show_id", "show", "seat_ids"})

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        return _show_of(super().validate(attrs))


class BookingPlacesCreateInput(_TicketInput):
    """Places at a general-admission show (`capacity_exceeded` when fewer are left); or, with
    `waitlist`, seats of a reserved-seating show chosen for you (best available)."""

    show = IdField(required=False)
    show_id = IdField(required=False, help_text="Same as `show`.")
    quantity = CountField(min_value=1, max_value=conf.ITEMS_CEILING)
    waitlist = serializers.BooleanField(
        required=False,
        default=False,
        help_text="If fewer places are left, join the show's waiting list instead of a 409. "
        "Reserved seating: the best available seats now if enough are free, else a place in "
        "line; seats are allotted when they free.",
    )
    category = serializers.CharField(
        required=False,
        max_length=32,
        help_text="Reserved seating with `waitlist`: only seats of this category (price tier).",
    )
    own_keys = frozenset({"show_id", "show", "quantity"})

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        return _show_of(super().validate(attrs))


class BookingHoldCreateInput(_TicketInput):
    """Book what a live hold keeps, at the hold's price (`hold_expired` once it lapsed)."""

    hold = serializers.RegexField(r"^[A-Za-z0-9_-]{1,64}$", help_text="The hold's token.")
    own_keys = frozenset({"hold"})


class BookingEventCreateInput(_TicketInput):
    """Places at an event with one show (the earlier event platform's `{"user", "event"}`)."""

    event = IdField()
    quantity = CountField(min_value=1, max_value=conf.ITEMS_CEILING, default=1)
    own_keys = frozenset({"event", "quantity"})
