"""`/api/shows/`: the public list of shows, their seat maps, and holds."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import HttpResponse
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from tessera.api.fields import ID_PATTERN
from tessera.api.idempotency import idempotent_response
from tessera.core.clock import utcnow
from tessera.core.errors import ValidationFailed

from ...models import Event, Hall, Hold, Show, Venue
from ...selectors.holds import hold_get_for_actor, hold_seat_ids, hold_state
from ...selectors.shows import show_get, show_get_for_actor, show_list
from ...services.holds import hold_create_for_places, hold_create_for_seats, hold_release
from ...services.shows import show_cancel, show_create, show_update
from ..filters import ShowFilter
from ..seatmap import seat_map
from ..serializers.holds import HoldCreateInput, HoldOutput
from ..serializers.shows import (
    SeatMapOutput,
    ShowCancelInput,
    ShowCreateInput,
    ShowOutput,
    ShowUpdateInput,
)
from .common import public_for

HOLD_ID_PATTERN = r"[A-Za-z0-9_-]{1,64}"
IDEMPOTENCY = OpenApiParameter(
    "Idempotency-Key",
    str,
    OpenApiParameter.HEADER,
    description="A retry with the same key returns the first result (24 h).",
)


def _related(model: type[Any], pk: int | None, field: str) -> Any:
    """An object a body names by id, or a 400 on that field."""
    if pk is None:
        return None
    found = model.objects.filter(pk=pk).first()
    if found is None:
        raise ValidationFailed(f"No such {field}.", code="does_not_exist", field=field)
    return found


def hold_body(hold: Hold) -> dict[str, Any]:
    return {
        "token": hold.token,
        "show_id": hold.show_id,
        "show": hold.show,
        "state": hold_state(hold, utcnow()),
        "seat_ids": hold_seat_ids(hold=hold) if hold.show.is_reserved else [],
        "quantity": hold.quantity,
        "price": hold.price,
        "expires_at": hold.expires_at,
        "booking_id": hold.booking_id,
    }


class ShowViewSet(viewsets.GenericViewSet):
    """Shows (when and where). Anyone may browse them and read a seat map."""

    serializer_class = ShowOutput
    queryset = Show.objects.none()
    lookup_value_regex = ID_PATTERN
    filter_backends = [DjangoFilterBackend]
    filterset_class = ShowFilter
    problem_statuses = {"POST": [409], "PUT": [409], "PATCH": [409], "DELETE": [409]}

    def get_permissions(self) -> list[Any]:
        return public_for(self, {"list", "retrieve", "seats"})

    def get_queryset(self) -> QuerySet[Show]:
        return show_list(now=utcnow())

    @extend_schema(summary="Search shows", auth=[])
    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(ShowOutput(page, many=True).data)

    @extend_schema(request=ShowCreateInput, responses={201: ShowOutput}, summary="Schedule a show")
    def create(self, request: Request) -> Response:
        data = ShowCreateInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        show = show_create(
            event=_related(Event, values.pop("event"), "event"),
            venue=_related(Venue, values.pop("venue"), "venue"),
            hall=_related(Hall, values.pop("hall", None), "hall"),
            actor=request.user,
            **values,
        )
        return Response(
            ShowOutput(show_get(show_id=show.pk, now=utcnow())).data,
            status=status.HTTP_201_CREATED,
            headers={"Location": f"/api/shows/{show.pk}/"},
        )

    @extend_schema(summary="Read a show", auth=[])
    def retrieve(self, request: Request, pk: str) -> Response:
        return Response(ShowOutput(show_get(show_id=int(pk), now=utcnow())).data)

    @extend_schema(
        request=ShowUpdateInput,
        responses={200: ShowOutput},
        summary="Move a show, change its capacity or prices",
    )
    def partial_update(self, request: Request, pk: str) -> Response:
        data = ShowUpdateInput(data=request.data)
        data.is_valid(raise_exception=True)
        show = show_get_for_actor(show_id=int(pk), actor=request.user, action="change")
        show_update(show=show, actor=request.user, **data.validated_data)
        return Response(ShowOutput(show_get(show_id=show.pk, now=utcnow())).data)

    @extend_schema(request=ShowUpdateInput, responses={200: ShowOutput}, summary="Change a show")
    def update(self, request: Request, pk: str) -> Response:
        return self.partial_update(request, pk)

    @extend_schema(
        request=ShowCancelInput,
        responses={200: ShowOutput},
        summary="Cancel a show: its bookings are cancelled, its holds released",
    )
    @action(detail=True, methods=["post"])
    def cancel(self, request: Request, pk: str) -> Response:
        data = ShowCancelInput(data=request.data)
        data.is_valid(raise_exception=True)
        show = show_get_for_actor(show_id=int(pk), actor=request.user, action="change")
        show_cancel(show=show, actor=request.user, reason=data.validated_data["reason"])
        return Response(ShowOutput(show_get(show_id=show.pk, now=utcnow())).data)

    @extend_schema(
        responses={200: SeatMapOutput},
        summary="Seat map: every seat with its category, price and status",
        auth=[],
    )
    @action(detail=True, methods=["get"], pagination_class=None, filterset_class=None)
    def seats(self, request: Request, pk: str) -> HttpResponse:
        return HttpResponse(
            seat_map(show_id=int(pk), now=utcnow()), content_type="application/json"
        )

    @extend_schema(
        request=HoldCreateInput,
        responses={201: HoldOutput},
        parameters=[IDEMPOTENCY],
        summary="Hold seats or places while you check out (all or none; it lapses by itself)",
    )
    @action(detail=True, methods=["post"], filterset_class=None)
    def holds(self, request: Request, pk: str) -> Any:
        return idempotent_response(
            request, scope="events.holds", run=lambda: self._hold(request, int(pk))
        )

    def _hold(self, request: Request, show_id: int) -> Response:
        data = HoldCreateInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        show = show_get(show_id=show_id)
        if "seat_ids" in values:
            hold = hold_create_for_seats(show=show, seat_ids=values["seat_ids"], actor=request.user)
        else:
            hold = hold_create_for_places(
                show=show, quantity=values["quantity"], actor=request.user
            )
        hold.show = show
        return Response(
            HoldOutput(hold_body(hold)).data,
            status=status.HTTP_201_CREATED,
            headers={"Location": f"/api/shows/{show_id}/holds/{hold.token}/"},
        )

    @extend_schema(responses={200: HoldOutput}, summary="Read a hold (its customer, staff)")
    @action(
        detail=True,
        methods=["get"],
        url_path=rf"holds/(?P<token>{HOLD_ID_PATTERN})",
        filterset_class=None,
    )
    def hold(self, request: Request, pk: str, token: str) -> Response:
        hold = hold_get_for_actor(show_id=int(pk), token=token, actor=request.user)
        return Response(HoldOutput(hold_body(hold)).data)

    @extend_schema(request=None, responses={204: None}, summary="Release a hold at once")
    @hold.mapping.delete
    def release_hold(self, request: Request, pk: str, token: str) -> Response:
        hold = hold_get_for_actor(show_id=int(pk), token=token, actor=request.user)
        hold_release(hold=hold, actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)
