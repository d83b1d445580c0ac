"""The resources API: resources, their weekly hours, closures and extra openings.

Reads are open to everyone (active resources); writes to providers (their own) and staff.
The free slots of a resource are served by the bookings app (`/api/resources/<id>/availability/`),
which knows the bookings.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import SAFE_METHODS, AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from tessera.api.fields import ID_PATTERN

from ..models import Resource
from ..selectors.resources import (
    resource_closures,
    resource_get,
    resource_list,
    resource_openings,
    resource_weekly_hours,
)
from ..services.availability import (
    resource_closure_add,
    resource_closure_delete,
    resource_hours_replace,
    resource_opening_add,
    resource_opening_delete,
)
from ..services.resources import resource_create, resource_deactivate, resource_update
from .filters import ResourceFilter
from .serializers import (
    ClosureOutput,
    OpeningOutput,
    ResourceCreateInput,
    ResourceOutput,
    ResourceUpdateInput,
    SpanInput,
    WeeklyHoursInput,
    WeeklyHoursOutput,
)


def _flatten(data: dict[str, Any]) -> dict[str, Any]:
    rules = data.pop("rules", None) or {}
    return {**data, **rules}


class ResourceViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Resources booked by time: providers, rooms, courts, equipment, musicians, venues."""

    serializer_class = ResourceOutput
    queryset = Resource.objects.none()
    filterset_class = ResourceFilter
    ordering_fields = ["name", "id", "capacity", "created_at"]
    lookup_value_regex = ID_PATTERN
    problem_statuses = {"PUT": [409], "PATCH": [409]}

    def get_permissions(self) -> list[Any]:
        if self.request.method in SAFE_METHODS:
            return [AllowAny()]
        return [IsAuthenticated()]

    def get_queryset(self) -> QuerySet[Resource]:
        return resource_list(actor=self.request.user).select_related("owner")

    @extend_schema(
        request=ResourceCreateInput,
        responses={201: ResourceOutput},
        summary="Create a resource (providers: their own; staff: anyone's)",
    )
    def create(self, request: Request) -> Response:
        data = ResourceCreateInput(data=request.data)
        data.is_valid(raise_exception=True)
        resource = resource_create(actor=request.user, **_flatten(dict(data.validated_data)))
        return Response(ResourceOutput(resource).data, status=status.HTTP_201_CREATED)

    @extend_schema(summary="Read a resource")
    def retrieve(self, request: Request, pk: str) -> Response:
        resource = resource_get(resource_id=int(pk), actor=request.user)
        return Response(ResourceOutput(resource).data)

    @extend_schema(
        request=ResourceUpdateInput,
        responses={200: ResourceOutput},
        summary="Change a resource (owner, staff); a capacity below live bookings is a 409",
    )
    def partial_update(self, request: Request, pk: str) -> Response:
        data = ResourceUpdateInput(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        resource_get(resource_id=int(pk), actor=request.user, action="change")
        resource = resource_update(
            resource_id=int(pk), actor=request.user, **_flatten(dict(data.validated_data))
        )
        return Response(ResourceOutput(resource).data)

    @extend_schema(
        request=ResourceUpdateInput,
        responses={200: ResourceOutput},
        summary="Change a resource (as PATCH: the fields given are changed)",
    )
    def update(self, request: Request, pk: str) -> Response:
        return self.partial_update(request, pk)

    @extend_schema(
        request=None,
        responses={204: OpenApiResponse(description="Deactivated")},
        summary="Deactivate a resource (it stops taking bookings; nothing is deleted)",
    )
    def destroy(self, request: Request, pk: str) -> Response:
        resource_get(resource_id=int(pk), actor=request.user, action="change")
        resource_deactivate(resource_id=int(pk), actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(methods=["GET"], responses={200: WeeklyHoursOutput}, summary="The weekly hours")
    @extend_schema(
        methods=["PUT"],
        request=WeeklyHoursInput,
        responses={200: WeeklyHoursOutput},
        summary="Replace the weekly hours (owner, staff)",
    )
    @action(detail=True, methods=["get", "put"])
    def hours(self, request: Request, pk: str) -> Response:
        if request.method == "PUT":
            data = WeeklyHoursInput(data=request.data)
            data.is_valid(raise_exception=True)
            ranges = [
                (h["weekday"], h["start_time"], h["end_time"]) for h in data.validated_data["hours"]
            ]
            resource_hours_replace(resource_id=int(pk), actor=request.user, ranges=ranges)
        resource = resource_get(resource_id=int(pk), actor=request.user)
        body = {
            "resource": resource.pk,
            "timezone": resource.timezone,
            "hours": resource_weekly_hours(resource=resource),
        }
        return Response(WeeklyHoursOutput(body).data)

    @extend_schema(
        methods=["GET"],
        responses={200: ClosureOutput(many=True)},
        summary="Dated closures (time off, holidays, blocked times)",
    )
    @extend_schema(
        methods=["POST"],
        request=SpanInput,
        responses={201: ClosureOutput},
        summary="Add a closure (owner, staff)",
    )
    @action(detail=True, methods=["get", "post"], pagination_class=None, filterset_class=None)
    def closures(self, request: Request, pk: str) -> Response:
        resource = resource_get(resource_id=int(pk), actor=request.user)
        if request.method == "POST":
            data = SpanInput(data=request.data)
            data.is_valid(raise_exception=True)
            closure = resource_closure_add(
                resource_id=resource.pk, actor=request.user, **data.validated_data
            )
            return Response(ClosureOutput(closure).data, status=status.HTTP_201_CREATED)
        return Response(ClosureOutput(resource_closures(resource=resource), many=True).data)

    @extend_schema(request=None, responses={204: None}, summary="Remove a closure")
    @action(
        detail=True,
        methods=["delete"],
        url_path=rf"closures/(?P<closure_id>{ID_PATTERN})",
        filterset_class=None,
    )
    def remove_closure(self, request: Request, pk: str, closure_id: str) -> Response:
        resource_closure_delete(resource_id=int(pk), closure_id=int(closure_id), actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        methods=["GET"], responses={200: OpeningOutput(many=True)}, summary="Extra openings"
    )
    @extend_schema(
        methods=["POST"],
        request=SpanInput,
        responses={201: OpeningOutput},
        summary="Add an extra opening (owner, staff)",
    )
    @action(detail=True, methods=["get", "post"], pagination_class=None, filterset_class=None)
    def openings(self, request: Request, pk: str) -> Response:
        resource = resource_get(resource_id=int(pk), actor=request.user)
        if request.method == "POST":
            data = SpanInput(data=request.data)
            data.is_valid(raise_exception=True)
            opening = resource_opening_add(
                resource_id=resource.pk, actor=request.user, **data.validated_data
            )
            return Response(OpeningOutput(opening).data, status=status.HTTP_201_CREATED)
        return Response(OpeningOutput(resource_openings(resource=resource), many=True).data)

    @extend_schema(request=None, responses={204: None}, summary="Remove an extra opening")
    @action(
        detail=True,
        methods=["delete"],
        url_path=rf"openings/(?P<opening_id>{ID_PATTERN})",
        filterset_class=None,
    )
    def remove_opening(self, request: Request, pk: str, opening_id: str) -> Response:
        resource_opening_delete(resource_id=int(pk), opening_id=int(opening_id), actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)
