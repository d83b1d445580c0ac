"""Free slots: `GET /api/resources/<id>/availability/` (one resource, with places left) and
`GET /api/availability/?resources=<a>,<b>` (the times when all of them are free: gigs).

Served here rather than by scheduling because free time needs the bookings. Open to everyone
for active resources (anonymous callers are rate-limited like every anonymous read). A window
is at most `TESSERA_MAX_AVAILABILITY_DAYS` long (`window_too_long`) and yields at most
`TESSERA_MAX_AVAILABILITY_SLOTS` slots (`too_many_slots`); answers come from the shared cache
for `TESSERA_AVAILABILITY_CACHE_SECONDS` until a change of the resources retires them. `start`/`end` are ISO 8601 times with offset, or dates (midnight in the
display zone: `tz`, else the (first) resource's zone); slots are shown in that zone.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from tessera.api.fields import MAX_ID, AwareDateTimeField, BoundedDateField, MinutesField
from tessera.api.serializers import Output
from tessera.api.timezones import zone_or_error
from tessera.core.clock import utcnow
from tessera.core.errors import ValidationFailed
from tessera.scheduling.domain.localtime import local_to_utc
from tessera.scheduling.models import Resource
from tessera.scheduling.models.resources import MAX_MINUTES
from tessera.scheduling.selectors.resources import resource_get
from tessera.scheduling.selectors.times import default_duration, slot_step

from ..selectors.availability import free_slots_bounded


@extend_schema_field(OpenApiTypes.STR)
class DateOrDateTimeField(serializers.Field):
    """An ISO 8601 time with offset, or a date (kept as a date until the zone is known)."""

    default_error_messages = {"invalid": "Give a date (2026-05-04) or a time with offset."}

    def to_internal_value(self, data: Any) -> date | datetime:
        if not isinstance(data, str):
            self.fail("invalid")
        if len(data.strip()) == 10:
            return BoundedDateField().run_validation(data.strip())
        return AwareDateTimeField().run_validation(data)

    def to_representation(self, value: Any) -> Any:  # pragma: no cover - input only
        return value


class AvailabilityQuery(serializers.Serializer):
    start = DateOrDateTimeField(required=False, help_text="Default: now.")
    end = DateOrDateTimeField(required=False, help_text="Default: 7 days after start.")
    duration = MinutesField(
        min_value=1, max_value=MAX_MINUTES, required=False, help_text="Minutes (default: rule)."
    )
    step = MinutesField(
        min_value=1, max_value=MAX_MINUTES, required=False, help_text="Minutes between starts."
    )
    tz = serializers.CharField(required=False, max_length=64, help_text="Display zone (IANA).")


class SlotOutput(Output):
    start = serializers.DateTimeField()
    end = serializers.DateTimeField()
    places_left = serializers.IntegerField()


class AvailabilityOutput(Output):
    resources = serializers.ListField(child=serializers.IntegerField())
    timezone = serializers.CharField()
    start = serializers.DateTimeField()
    end = serializers.DateTimeField()
    duration = serializers.IntegerField(help_text="Minutes.")
    step = serializers.IntegerField(help_text="Minutes.")
    slots = SlotOutput(many=True)


def _moment(value: date | datetime, zone: ZoneInfo) -> datetime:
    if isinstance(value, datetime):
        return value
    return local_to_utc(datetime.combine(value, time(0)), zone)


def _slots(request: Request, resources: Sequence[Resource]) -> Response:
    query = AvailabilityQuery(data=request.query_params)
    query.is_valid(raise_exception=True)
    values = query.validated_data
    zone = zone_or_error(values.get("tz") or resources[0].timezone)
    now = utcnow()
    # Whole minutes when no start is given, so that repeated asks share a cached answer.
    start = _moment(values.get("start", now.replace(second=0, microsecond=0)), zone)
    end = _moment(values["end"], zone) if "end" in values else start + timedelta(days=7)
    widest = settings.TESSERA["MAX_AVAILABILITY_DAYS"]
    if end <= start:
        raise ValidationFailed("end must be after start.", code="end_before_start", field="end")
    if end - start > timedelta(days=widest):
        raise ValidationFailed(
            f"Ask for at most {widest} days at a time.", code="window_too_long", field="end"
        )
    duration = values.get("duration") or max(default_duration(r) for r in resources)
    step = values.get("step") or max(slot_step(r, duration) for r in resources)
    slots = free_slots_bounded(
        resources=resources,
        start=start,
        end=end,
        duration=timedelta(minutes=duration),
        step=timedelta(minutes=step),
        now=now,
        limit=settings.TESSERA["MAX_AVAILABILITY_SLOTS"],
    )
    # Plain dicts: a month of slots is rendered without a serializer per slot.
    body = {
        "resources": [r.pk for r in resources],
        "timezone": str(zone.key),
        "start": start.astimezone(zone).isoformat(),
        "end": end.astimezone(zone).isoformat(),
        "duration": duration,
        "step": step,
        "slots": [
            {
                "start": slot.start.astimezone(zone).isoformat(),
                "end": slot.end.astimezone(zone).isoformat(),
                "places_left": slot.places_left,
            }
            for slot in slots
        ],
    }
    return Response(body)


class ResourceAvailabilityView(APIView):
    """Free slots of one resource, with the places left in each (capacity minus bookings)."""

    permission_classes = [AllowAny]
    problem_statuses = {"GET": [400]}

    @extend_schema(
        parameters=[AvailabilityQuery],
        responses={200: AvailabilityOutput},
        summary="Free slots of a resource",
    )
    def get(self, request: Request, resource_id: str) -> Response:
        resource = resource_get(resource_id=int(resource_id), actor=request.user)
        return _slots(request, [resource])


class CommonAvailabilityView(APIView):
    """The slots when every listed resource is free at once (e.g. a musician AND a venue)."""

    permission_classes = [AllowAny]
    problem_statuses = {"GET": [400, 404]}

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "resources", str, required=True, description="Comma-separated ids, e.g. 3,8."
            ),
            AvailabilityQuery,
        ],
        responses={200: AvailabilityOutput},
        summary="Free slots of several resources at once (gigs)",
    )
    def get(self, request: Request) -> Response:
        ids = _ids(request.query_params.get("resources", ""))
        resources = [resource_get(resource_id=i, actor=request.user) for i in ids]
        return _slots(request, resources)


def _ids(raw: str) -> list[int]:
    parts = [p.strip() for p in raw.split(",") if p.strip()]
    if not parts:
        raise ValidationFailed(
            "List the resources: ?resources=3,8", code="required", field="resources"
        )
    if len(parts) > 10 or not all(p.isdigit() and 0 < int(p) <= MAX_ID for p in parts):
        raise ValidationFailed(
            "resources is a comma-separated list of at most 10 ids.",
            code="invalid",
            field="resources",
        )
    ids = list(dict.fromkeys(int(p) for p in parts))
    return ids
