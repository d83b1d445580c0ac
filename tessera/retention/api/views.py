"""A person's data: `GET /api/users/<id>/export/` (themself or staff) and
`POST /api/users/<id>/erasure/` (staff)."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ..selectors import user_export
from ..services.erasure import user_erase
from .serializers import ErasureOutput


class UserExportView(APIView):
    """Everything Tessera keeps about the person, as one JSON document."""

    permission_classes = [IsAuthenticated]
    problem_statuses = {"GET": [404]}

    @extend_schema(responses={200: OpenApiTypes.OBJECT}, summary="Export a person's data")
    def get(self, request: Request, user_id: str) -> Response:
        body = user_export(user_id=int(user_id), actor=request.user)
        response = Response(body)
        response["Content-Disposition"] = f'attachment; filename="tessera-user-{user_id}.json"'
        return response


class UserErasureView(APIView):
    """Erase a person's data (see docs/data-retention.md). Their bookings stay, anonymised."""

    permission_classes = [IsAuthenticated]
    problem_statuses = {"POST": [403, 404, 409]}

    @extend_schema(request=None, responses={200: ErasureOutput}, summary="Erase a person's data")
    def post(self, request: Request, user_id: str) -> Response:
        user = user_erase(user_id=int(user_id), actor=request.user)
        return Response({"id": user.pk, "username": user.username, "is_active": user.is_active})
