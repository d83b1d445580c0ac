"""Query and output shapes of `/api/analytics/…`, named for the operation."""

from __future__ import annotations

from rest_framework import serializers

from tessera.api.fields import BoundedDateField
from tessera.api.serializers import Output

from ..selectors.trends import STATUSES


class AnalyticsQuery(serializers.Serializer):
    start = BoundedDateField(
        required=False, help_text="First local date (default: 29 days before end)."
    )
    end = BoundedDateField(required=False, help_text="Last local date, included (default: today).")
    tz = serializers.CharField(
        required=False, max_length=64, help_text="IANA zone of the dates (default UTC)."
    )


class TrendQuery(AnalyticsQuery):
    period = serializers.ChoiceField(choices=["day", "week"], default="day")
    basis = serializers.ChoiceField(
        choices=["created", "start"],
        default="created",
        help_text="Count a booking on the day it was made (created) or on the day it starts.",
    )


class WindowOutput(Output):
    start = serializers.DateField()
    end = serializers.DateField()
    timezone = serializers.CharField()


class TrendPointOutput(Output):
    period = serializers.DateField(help_text="The day, or the Monday of the week.")
    total = serializers.IntegerField()
    counts = serializers.DictField(
        child=serializers.IntegerField(), help_text=f"By status: {', '.join(STATUSES)}."
    )


class TrendsOutput(Output):
    window = WindowOutput()
    period = serializers.CharField()
    basis = serializers.CharField()
    points = TrendPointOutput(many=True)


class ResourceUseOutput(Output):
    resource_id = serializers.IntegerField()
    name = serializers.CharField()
    capacity = serializers.IntegerField()
    bookings = serializers.IntegerField()
    booked_minutes = serializers.FloatField()
    open_minutes = serializers.FloatField()
    utilisation = serializers.FloatField(
        allow_null=True, help_text="booked / (open x capacity); null when never open."
    )


class ResourceUtilisationOutput(Output):
    window = WindowOutput()
    resources = ResourceUseOutput(many=True)


class ShowUseOutput(Output):
    show_id = serializers.IntegerField()
    title = serializers.CharField()
    starts_at = serializers.DateTimeField()
    status = serializers.CharField()
    capacity = serializers.IntegerField()
    sold = serializers.IntegerField()
    pending = serializers.IntegerField()
    utilisation = serializers.FloatField(allow_null=True, help_text="sold / capacity.")


class ShowUtilisationOutput(Output):
    window = WindowOutput()
    shows = ShowUseOutput(many=True)


class RatesOutput(Output):
    window = WindowOutput()
    total = serializers.IntegerField()
    by_status = serializers.DictField(child=serializers.IntegerField())
    cancellation_rate = serializers.FloatField(allow_null=True)
    no_show_rate = serializers.FloatField(allow_null=True)
    lead_time_median_minutes = serializers.FloatField(allow_null=True)
    lead_time_p90_minutes = serializers.FloatField(allow_null=True)
