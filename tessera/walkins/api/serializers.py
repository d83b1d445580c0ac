"""Shapes of the walk-in API, named for the operation."""

from __future__ import annotations

from rest_framework import serializers

from tessera.api.fields import IdField
from tessera.api.serializers import Output


class WalkInJoinInput(serializers.Serializer):
    name = serializers.CharField(max_length=120, required=False, allow_blank=True, default="")
    phone = serializers.CharField(max_length=32, required=False, allow_blank=True, default="")
    user = IdField(
        required=False, help_text="A user to queue (the resource's owner and staff only)."
    )


class WalkInServeInput(serializers.Serializer):
    walkin = IdField(required=False, help_text="Serve this one (default: the next in line).")


class WaitOutput(Output):
    ahead = serializers.IntegerField(help_text="Walk-ins ahead.")
    booked_ahead_minutes = serializers.FloatField(help_text="Booked time left today.")
    average_service_minutes = serializers.FloatField()
    from_history = serializers.BooleanField(
        help_text="False: no completed bookings yet, the default service time is assumed."
    )
    wait_minutes = serializers.FloatField()


class WalkInOutput(Output):
    id = serializers.IntegerField()
    resource = serializers.IntegerField(source="resource_id")
    position = serializers.IntegerField()
    name = serializers.CharField(source="display_name")
    phone = serializers.CharField()
    user = serializers.IntegerField(source="user_id", allow_null=True)
    status = serializers.CharField()
    joined_at = serializers.DateTimeField()
    served_at = serializers.DateTimeField(allow_null=True)
    finished_at = serializers.DateTimeField(allow_null=True)
    left_at = serializers.DateTimeField(allow_null=True)
    booking = serializers.IntegerField(
        source="booking_id",
        allow_null=True,
        help_text="The completed booking recorded when the service ended (people with an account).",
    )


class WalkInDetailOutput(WalkInOutput):
    estimate = WaitOutput(allow_null=True, help_text="While waiting.")


class QueueOutput(Output):
    resource = serializers.IntegerField()
    waiting = WalkInOutput(many=True)
    estimate = WaitOutput(help_text="For someone joining now.")
