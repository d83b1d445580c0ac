"""Input and output shapes of the bookings API (named per operation)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from tessera.api.fields import AwareDateTimeField, IdField, MinutesField
from tessera.api.serializers import Output
from tessera.scheduling.models.resources import MAX_MINUTES

from ..models import BookingKind, BookingStatus
from ..selectors.bookings import waitlist_positions_of
from ..services.changes import MAX_NOTES
from ..services.checks import MAX_GIG_RESOURCES
from ..waitlist import waitlist_offers_of
from .ticket_fields import (
    BookingDateOutput,
    EventIdOutput,
    QuantityOutput,
    SeatIdsOutput,
    SeatsOutput,
    ShowIdOutput,
)

MAX_DURATION = MAX_MINUTES


class BookingTimeCreateInput(serializers.Serializer):
    """Book time: `resource` (or `resources` for a gig, all or none), `start_time`, and
    `end_time` or `duration` (minutes) or neither (the resource's default duration).

    Staff and the resource's owner may book for someone else with `customer` (`user` is
    accepted too, as the academy system named it)."""

    resource = IdField(required=False, help_text="The resource to book.")
    resources = serializers.ListField(
        child=IdField(),
        required=False,
        min_length=1,
        max_length=MAX_GIG_RESOURCES,
        help_text="A gig: every one of these resources at once, or none.",
    )
    start_time = AwareDateTimeField(help_text="ISO 8601 with offset.")
    end_time = AwareDateTimeField(required=False, help_text="ISO 8601 with offset.")
    duration = MinutesField(
        min_value=1, max_value=MAX_DURATION, required=False, help_text="Minutes (instead of end)."
    )
    customer = IdField(required=False, help_text="Book for this user (staff, resource owners).")
    user = IdField(required=False, help_text="Same as `customer`.")
    notes = serializers.CharField(max_length=MAX_NOTES, required=False, allow_blank=True)
    waitlist = serializers.BooleanField(
        required=False,
        default=False,
        help_text="If the time is full (a resource, or a gig's), join its waiting list instead "
        "of a 409: "
        "the booking is `waitlisted` and `waitlist.position` is your place in line.",
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if ("resource" in attrs) == ("resources" in attrs):
            raise serializers.ValidationError(
                {"resource": "Give either resource or resources."}, code="required"
            )
        if "end_time" in attrs and "duration" in attrs:
            raise serializers.ValidationError(
                {"duration": "Give end_time or duration, not both."}, code="conflicting_fields"
            )
        customer, user = attrs.pop("customer", None), attrs.pop("user", None)
        if customer is not None and user is not None and customer != user:
            raise serializers.ValidationError(
                {"user": "customer and user name different people."}, code="conflicting_fields"
            )
        attrs["customer_id"] = customer or user
        attrs["resource_ids"] = (
            [attrs.pop("resource")] if "resource" in attrs else attrs.pop("resources")
        )
        return attrs


class BookingUpdateInput(serializers.Serializer):
    """Change notes; move the booking (`start_time` with `end_time`, `duration` or neither to
    keep its length); or change its status (`cancelled`, `confirmed`, `declined`, `no_show`)
    with an optional `reason`. Everything given happens in one transaction, or nothing does."""

    notes = serializers.CharField(max_length=MAX_NOTES, required=False, allow_blank=True)
    start_time = AwareDateTimeField(required=False)
    end_time = AwareDateTimeField(required=False)
    duration = MinutesField(min_value=1, max_value=MAX_DURATION, required=False)
    status = serializers.ChoiceField(
        choices=[
            BookingStatus.CANCELLED,
            BookingStatus.CONFIRMED,
            BookingStatus.DECLINED,
            BookingStatus.NO_SHOW,
        ],
        required=False,
    )
    reason = serializers.CharField(max_length=255, required=False, allow_blank=True)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        moving = {"end_time", "duration"} & set(attrs)
        if moving and "start_time" not in attrs:
            raise serializers.ValidationError(
                {"start_time": "Give the new start_time too."}, code="required"
            )
        if {"end_time", "duration"} <= set(attrs):
            raise serializers.ValidationError(
                {"duration": "Give end_time or duration, not both."}, code="conflicting_fields"
            )
        if not {"notes", "start_time", "status"} & set(attrs):  # a reason alone changes nothing
            raise serializers.ValidationError(
                "Nothing to change: give notes, start_time or status.", code="empty"
            )
        return attrs


class BookingReasonInput(serializers.Serializer):
    reason = serializers.CharField(max_length=255, required=False, allow_blank=True, default="")


class ResourceRef(Output):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)
    kind = serializers.CharField(read_only=True)
    timezone = serializers.CharField(read_only=True)


class AllocationOutput(Output):
    resource = ResourceRef(read_only=True)
    start_time = serializers.DateTimeField(source="starts_at", read_only=True)
    end_time = serializers.DateTimeField(source="ends_at", read_only=True)
    approved = serializers.BooleanField(read_only=True)


class WaitlistOutput(Output):
    position = serializers.IntegerField(help_text="Place in line now: 1 is the next promoted.")
    quantity = serializers.IntegerField()
    category = serializers.CharField(
        required=False, help_text="Reserved seating: the seat category asked for (if any)."
    )


class OfferOutput(Output):
    offered_at = serializers.DateTimeField(help_text="When the place was offered.")
    accepted_at = serializers.DateTimeField(
        allow_null=True,
        help_text="When the customer accepted (null: not yet; accept by `confirm_deadline`).",
    )


class BookingOutput(Output):
    """A booking of any kind. Time bookings list their `allocations` (one per resource; a gig
    has several); ticket bookings their show, event, quantity and seats (`ticket_fields.py`)."""

    id = serializers.IntegerField(read_only=True)
    reference = serializers.CharField(read_only=True)
    kind = serializers.ChoiceField(choices=BookingKind.choices, read_only=True)
    status = serializers.ChoiceField(choices=BookingStatus.choices, read_only=True)
    customer = serializers.IntegerField(source="customer_id", read_only=True)
    user = serializers.IntegerField(
        source="customer_id", read_only=True, help_text="Same as customer (earlier systems)."
    )
    created_by = serializers.IntegerField(source="created_by_id", read_only=True, allow_null=True)
    resource = serializers.SerializerMethodField(
        help_text="The resource of a single-resource time booking (else null)."
    )
    start_time = serializers.DateTimeField(source="starts_at", read_only=True)
    end_time = serializers.DateTimeField(source="ends_at", read_only=True)
    notes = serializers.CharField(read_only=True)
    price = serializers.DecimalField(
        max_digits=10, decimal_places=2, read_only=True, allow_null=True
    )
    currency = serializers.CharField(read_only=True)
    confirm_deadline = serializers.DateTimeField(read_only=True, allow_null=True)
    cancelled_at = serializers.DateTimeField(read_only=True, allow_null=True)
    cancelled_by = serializers.IntegerField(
        source="cancelled_by_id", read_only=True, allow_null=True
    )
    cancel_reason = serializers.CharField(read_only=True)
    allocations = AllocationOutput(many=True, read_only=True)
    waitlist = serializers.SerializerMethodField(
        help_text="While the booking is waitlisted: its place in line (1 = next) and quantity."
    )
    offer = serializers.SerializerMethodField(
        help_text="A pending booking promoted from the waiting list as an offer: the customer "
        "accepts it with `POST .../confirm/` before `confirm_deadline`, or it lapses."
    )
    message = serializers.SerializerMethodField(
        help_text='What else this change did, e.g. "Booking cancelled; next in line notified."'
    )
    created_at = serializers.DateTimeField(read_only=True)
    updated_at = serializers.DateTimeField(read_only=True)
    # ticket bookings (general admission, reserved seating); null or empty for time bookings
    show = ShowIdOutput()
    event = EventIdOutput()
    quantity = QuantityOutput()
    seat_ids = SeatIdsOutput()
    seats = SeatsOutput()
    booking_date = BookingDateOutput()

    @extend_schema_field(WaitlistOutput(allow_null=True))
    def get_waitlist(self, booking: Any) -> dict[str, Any] | None:
        if booking.status != BookingStatus.WAITLISTED:
            return None
        return self._per_page("_waitlist_cache", waitlist_positions_of).get(booking.pk)

    @extend_schema_field(OfferOutput(allow_null=True))
    def get_offer(self, booking: Any) -> dict[str, Any] | None:
        if booking.status != BookingStatus.PENDING:
            return None
        entry = self._per_page("_offer_cache", waitlist_offers_of).get(booking.pk)
        return OfferOutput(entry).data if entry is not None else None

    def _per_page(self, name: str, load: Any) -> dict[int, Any]:
        """`load(bookings=...)` once for every booking being rendered (a page shares this
        serializer as its child): one query per page, none when no booking needs it."""
        cached: dict[int, Any] | None = getattr(self, name, None)
        if cached is None:
            page = self.parent.instance if self.parent is not None else [self.instance]
            cached = load(bookings=list(page or []))
            setattr(self, name, cached)
        return cached

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_message(self, booking: Any) -> str | None:
        if booking.status == BookingStatus.CANCELLED and getattr(
            booking, "promoted_booking_ids", None
        ):
            return "Booking cancelled; next in line notified."
        return None

    def get_resource(self, booking: Any) -> int | None:
        allocations = booking.allocations.all()
        return allocations[0].resource_id if len(allocations) == 1 else None


class HistoryOutput(Output):
    from_status = serializers.CharField(read_only=True, help_text="Empty for the first row.")
    to_status = serializers.CharField(read_only=True)
    actor = serializers.IntegerField(source="actor_id", read_only=True, allow_null=True)
    reason = serializers.CharField(read_only=True)
    at = serializers.DateTimeField(read_only=True)
