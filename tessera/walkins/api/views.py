"""Walk-in queues over HTTP.

- `GET  /api/resources/<id>/walkins/`        the queue and the wait for a newcomer (owner, staff)
- `POST /api/resources/<id>/walkins/`        join (a customer: themself; owner/staff: anyone)
- `GET  /api/resources/<id>/walkins/wait/`   the estimated wait for a newcomer (anyone signed in)
- `POST /api/resources/<id>/walkins/serve/`  serve the next one, or `{"walkin": id}`
- `GET  /api/walkins/<id>/`                  one entry, its position and wait
- `POST /api/walkins/<id>/leave/`            leave the queue
- `POST /api/walkins/<id>/finish/`           the service ended (a completed booking is recorded)
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from tessera.accounts.models import User
from tessera.core.errors import NotFound
from tessera.scheduling.selectors.resources import resource_get

from ..models import WalkIn, WalkInStatus
from ..selectors import WaitEstimate, walkin_get_for_actor, walkin_queue, walkin_wait_estimate
from ..services import walkin_finish, walkin_join, walkin_leave, walkin_serve
from .serializers import (
    QueueOutput,
    WaitOutput,
    WalkInDetailOutput,
    WalkInJoinInput,
    WalkInOutput,
    WalkInServeInput,
)


def _wait(estimate: WaitEstimate) -> dict[str, Any]:
    return {
        "ahead": estimate.ahead,
        "booked_ahead_minutes": round(estimate.booked_ahead.total_seconds() / 60, 1),
        "average_service_minutes": round(estimate.average_service.total_seconds() / 60, 1),
        "from_history": estimate.from_history,
        "wait_minutes": round(estimate.wait.total_seconds() / 60, 1),
    }


def _detail(walkin: WalkIn) -> dict[str, Any]:
    body = dict(WalkInOutput(walkin).data)
    body["estimate"] = None
    if walkin.status == WalkInStatus.WAITING:
        body["estimate"] = _wait(
            walkin_wait_estimate(resource=walkin.resource, position=walkin.position)
        )
    return body


class QueueView(APIView):
    permission_classes = [IsAuthenticated]
    problem_statuses = {"GET": [403, 404], "POST": [400, 404, 409]}

    @extend_schema(responses={200: QueueOutput}, summary="A resource's walk-in queue")
    def get(self, request: Request, resource_id: str) -> Response:
        resource = resource_get(resource_id=int(resource_id), actor=request.user)
        waiting = walkin_queue(resource=resource, actor=request.user)
        return Response(
            {
                "resource": resource.pk,
                "waiting": WalkInOutput(waiting, many=True).data,
                "estimate": _wait(walkin_wait_estimate(resource=resource)),
            }
        )

    @extend_schema(
        request=WalkInJoinInput,
        responses={201: WalkInDetailOutput},
        summary="Join a walk-in queue",
    )
    def post(self, request: Request, resource_id: str) -> Response:
        resource = resource_get(resource_id=int(resource_id), actor=request.user)
        data = WalkInJoinInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        user = None
        if "user" in values:
            user = User.objects.filter(pk=values["user"]).first()
            if user is None:
                raise NotFound("No such user.", code="user_not_found", field="user")
        walkin = walkin_join(
            resource=resource,
            actor=request.user,
            name=values["name"],
            phone=values["phone"],
            user=user,
        )
        return Response(_detail(walkin), status=status.HTTP_201_CREATED)


class WaitView(APIView):
    permission_classes = [IsAuthenticated]
    problem_statuses = {"GET": [404]}

    @extend_schema(responses={200: WaitOutput}, summary="Estimated wait for a walk-in joining now")
    def get(self, request: Request, resource_id: str) -> Response:
        resource = resource_get(resource_id=int(resource_id), actor=request.user)
        return Response(_wait(walkin_wait_estimate(resource=resource)))


class ServeView(APIView):
    permission_classes = [IsAuthenticated]
    problem_statuses = {"POST": [400, 403, 404, 409]}

    @extend_schema(
        request=WalkInServeInput, responses={200: WalkInOutput}, summary="Serve a walk-in"
    )
    def post(self, request: Request, resource_id: str) -> Response:
        resource = resource_get(resource_id=int(resource_id), actor=request.user)
        data = WalkInServeInput(data=request.data)
        data.is_valid(raise_exception=True)
        walkin = walkin_serve(
            resource=resource, actor=request.user, walkin_id=data.validated_data.get("walkin")
        )
        return Response(WalkInOutput(walkin).data)


class WalkInView(APIView):
    permission_classes = [IsAuthenticated]
    problem_statuses = {"GET": [404]}

    @extend_schema(responses={200: WalkInDetailOutput}, summary="A walk-in and its wait")
    def get(self, request: Request, walkin_id: str) -> Response:
        walkin = walkin_get_for_actor(walkin_id=int(walkin_id), actor=request.user)
        return Response(_detail(walkin))


class LeaveView(APIView):
    permission_classes = [IsAuthenticated]
    problem_statuses = {"POST": [403, 404, 409]}

    @extend_schema(request=None, responses={200: WalkInOutput}, summary="Leave a walk-in queue")
    def post(self, request: Request, walkin_id: str) -> Response:
        walkin = walkin_get_for_actor(walkin_id=int(walkin_id), actor=request.user)
        return Response(WalkInOutput(walkin_leave(walkin=walkin, actor=request.user)).data)


class FinishView(APIView):
    permission_classes = [IsAuthenticated]
    problem_statuses = {"POST": [403, 404, 409]}

    @extend_schema(
        request=None,
        responses={200: WalkInOutput},
        summary="Finish a served walk-in's service (records a completed booking)",
    )
    def post(self, request: Request, walkin_id: str) -> Response:
        walkin = walkin_get_for_actor(walkin_id=int(walkin_id), actor=request.user)
        return Response(WalkInOutput(walkin_finish(walkin=walkin, actor=request.user)).data)
