"""`/api/venues/` and `/api/halls/`: for organizers (their own) and staff."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from tessera.api.fields import ID_PATTERN
from tessera.core.errors import ValidationFailed

from ...models import Hall, Venue
from ...selectors.venues import (
    hall_get_for_actor,
    hall_list,
    hall_seats,
    seat_get_for_actor,
    venue_get_for_actor,
    venue_list,
)
from ...services.layout import hall_layout_apply
from ...services.venues import hall_create, hall_update, seat_update, venue_create, venue_update
from ..serializers.venues import (
    HallCreateInput,
    HallOutput,
    HallUpdateInput,
    LayoutInput,
    LayoutOutput,
    SeatOutput,
    SeatUpdateInput,
    VenueInput,
    VenueOutput,
)
from .common import seats_from_layout, user_or_400


class VenueViewSet(viewsets.GenericViewSet):
    """Venues: name, location, capacity, facilities (and time zone). Organizers create them and
    see their own; staff see all. Nothing is deleted."""

    serializer_class = VenueOutput
    queryset = Venue.objects.none()
    lookup_value_regex = ID_PATTERN
    filter_backends: list[Any] = []

    def get_queryset(self) -> QuerySet[Venue]:
        return venue_list(actor=self.request.user).prefetch_related("halls")

    @extend_schema(summary="List venues (your own; staff: all)")
    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(VenueOutput(page, many=True).data)

    @extend_schema(request=VenueInput, responses={201: VenueOutput}, summary="Create a venue")
    def create(self, request: Request) -> Response:
        data = VenueInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        owner = user_or_400(values.pop("owner", None), field="owner")
        venue = venue_create(actor=request.user, owner=owner, **values)
        return Response(
            VenueOutput(venue).data,
            status=status.HTTP_201_CREATED,
            headers={"Location": f"/api/venues/{venue.pk}/"},
        )

    @extend_schema(summary="Read a venue")
    def retrieve(self, request: Request, pk: str) -> Response:
        return Response(VenueOutput(venue_get_for_actor(venue_id=int(pk), actor=request.user)).data)

    @extend_schema(request=VenueInput, responses={200: VenueOutput}, summary="Replace a venue")
    def update(self, request: Request, pk: str) -> Response:
        return self._change(request, pk, partial=False)

    @extend_schema(request=VenueInput, responses={200: VenueOutput}, summary="Change a venue")
    def partial_update(self, request: Request, pk: str) -> Response:
        return self._change(request, pk, partial=True)

    def _change(self, request: Request, pk: str, *, partial: bool) -> Response:
        data = VenueInput(data=request.data, partial=partial)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        if "owner" in values:
            raise ValidationFailed(
                "The owner of a venue does not change.", code="not_allowed", field="owner"
            )
        venue = venue_get_for_actor(venue_id=int(pk), actor=request.user, action="change")
        venue = venue_update(venue=venue, actor=request.user, **values)
        return Response(VenueOutput(Venue.objects.prefetch_related("halls").get(pk=venue.pk)).data)


class HallViewSet(viewsets.GenericViewSet):
    """Halls (screens, rooms) of a venue and their seats. A whole layout is one request."""

    serializer_class = HallOutput
    queryset = Hall.objects.none()
    lookup_value_regex = ID_PATTERN
    filter_backends: list[Any] = []
    problem_statuses = {"POST": [404], "PUT": [409]}  # an unknown venue; layout_in_use

    def get_queryset(self) -> QuerySet[Hall]:
        halls = hall_list(actor=self.request.user)
        venue = self.request.query_params.get("venue")
        if venue is not None:
            if not venue.isdigit() or len(venue) > 18:
                raise ValidationFailed("venue is an id.", code="invalid", field="venue")
            halls = halls.filter(venue_id=int(venue))
        return halls

    @extend_schema(summary="List halls (`?venue=<id>`)")
    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(HallOutput(page, many=True).data)

    @extend_schema(
        request=HallCreateInput,
        responses={201: HallOutput},
        summary="Create a hall (with its seat layout, if given)",
    )
    def create(self, request: Request) -> Response:
        data = HallCreateInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        seats = seats_from_layout(values["layout"], prefix="layout.") if "layout" in values else []
        venue = venue_get_for_actor(venue_id=values["venue"], actor=request.user, action="change")
        hall = hall_create(venue=venue, actor=request.user, name=values["name"], seats=seats)
        hall = hall_get_for_actor(hall_id=hall.pk, actor=request.user)
        return Response(
            HallOutput(hall).data,
            status=status.HTTP_201_CREATED,
            headers={"Location": f"/api/halls/{hall.pk}/"},
        )

    @extend_schema(summary="Read a hall")
    def retrieve(self, request: Request, pk: str) -> Response:
        return Response(HallOutput(hall_get_for_actor(hall_id=int(pk), actor=request.user)).data)

    @extend_schema(request=HallUpdateInput, responses={200: HallOutput}, summary="Rename a hall")
    def partial_update(self, request: Request, pk: str) -> Response:
        data = HallUpdateInput(data=request.data)
        data.is_valid(raise_exception=True)
        hall = hall_get_for_actor(hall_id=int(pk), actor=request.user, action="change")
        hall_update(hall=hall, actor=request.user, name=data.validated_data["name"])
        return Response(HallOutput(hall_get_for_actor(hall_id=hall.pk, actor=request.user)).data)

    @extend_schema(request=HallUpdateInput, responses={200: HallOutput}, summary="Rename a hall")
    def update(self, request: Request, pk: str) -> Response:
        return self.partial_update(request, pk)

    @extend_schema(
        request=LayoutInput,
        responses={200: LayoutOutput},
        summary="Set the seat layout (seats that stay keep their ids)",
    )
    @action(detail=True, methods=["put"])
    def layout(self, request: Request, pk: str) -> Response:
        data = LayoutInput(data=request.data)
        data.is_valid(raise_exception=True)
        seats = seats_from_layout(data.validated_data)
        hall = hall_get_for_actor(hall_id=int(pk), actor=request.user, action="change")
        result = hall_layout_apply(hall=hall, actor=request.user, seats=seats)
        hall = hall_get_for_actor(hall_id=hall.pk, actor=request.user)
        body = {"hall": hall, **vars(result)}
        return Response(LayoutOutput(body).data)

    @extend_schema(
        responses={200: SeatOutput(many=True)}, summary="Every seat of the hall, in layout order"
    )
    @action(detail=True, methods=["get"], pagination_class=None)
    def seats(self, request: Request, pk: str) -> Response:
        hall = hall_get_for_actor(hall_id=int(pk), actor=request.user)
        return Response(SeatOutput(hall_seats(hall=hall), many=True).data)

    @extend_schema(
        request=SeatUpdateInput,
        responses={200: SeatOutput},
        summary="Change one seat: category, accessible, blocked",
    )
    @action(detail=True, methods=["patch"], url_path=rf"seats/(?P<seat_id>{ID_PATTERN})")
    def seat(self, request: Request, pk: str, seat_id: str) -> Response:
        data = SeatUpdateInput(data=request.data)
        data.is_valid(raise_exception=True)
        hall = hall_get_for_actor(hall_id=int(pk), actor=request.user, action="change")
        seat = seat_get_for_actor(
            hall=hall, seat_id=int(seat_id), actor=request.user, action="change"
        )
        seat = seat_update(seat=seat, actor=request.user, **data.validated_data)
        return Response(SeatOutput(seat).data)
