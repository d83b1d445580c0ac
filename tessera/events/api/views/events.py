"""`/api/events/`: the public catalogue of events; organizers create and change theirs."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from tessera.api.fields import ID_PATTERN
from tessera.core.clock import utcnow

from ...models import Event
from ...selectors.shows import event_get, event_get_for_actor, event_list, event_showtimes
from ...selectors.venues import venue_get_for_actor
from ...services.shows import event_create, event_create_with_show, event_update
from ..filters import EventFilter
from ..serializers.shows import EventCreateInput, EventOutput, EventUpdateInput, ShowOutput
from .common import public_for, user_or_400


class EventViewSet(viewsets.GenericViewSet):
    """Events (what: a film, a play, a conference). Anyone may browse them."""

    serializer_class = EventOutput
    queryset = Event.objects.none()
    lookup_value_regex = ID_PATTERN
    filter_backends = [DjangoFilterBackend]
    filterset_class = EventFilter

    def get_permissions(self) -> list[Any]:
        return public_for(self, {"list", "retrieve", "showtimes"})

    def get_queryset(self) -> QuerySet[Event]:
        return event_list(now=utcnow())

    @extend_schema(summary="Search events", auth=[])
    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(EventOutput(page, many=True).data)

    @extend_schema(
        request=EventCreateInput,
        responses={201: EventOutput},
        summary="Create an event (with date, time, venue, capacity: and its one show)",
    )
    def create(self, request: Request) -> Response:
        data = EventCreateInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        owner = user_or_400(values.pop("owner", None), field="owner")
        common = {
            "actor": request.user,
            "owner": owner,
            "title": values["title"],
            "description": values["description"],
            "category": values["category"],
            "duration_minutes": values.get("duration_minutes"),
            "requires_approval": values["requires_approval"],
        }
        if "venue" in values:
            venue = venue_get_for_actor(venue_id=values["venue"], actor=request.user)
            event = event_create_with_show(
                **common,
                venue=venue,
                day=values["date"],
                at=values["time"],
                capacity=values["capacity"],
                price=values.get("price", Decimal("0")),
            )
        else:
            event = event_create(**common)
        return Response(
            EventOutput(event_get(event_id=event.pk, now=utcnow())).data,
            status=status.HTTP_201_CREATED,
            headers={"Location": f"/api/events/{event.pk}/"},
        )

    @extend_schema(summary="Read an event", auth=[])
    def retrieve(self, request: Request, pk: str) -> Response:
        return Response(EventOutput(event_get(event_id=int(pk), now=utcnow())).data)

    @extend_schema(
        request=EventUpdateInput, responses={200: EventOutput}, summary="Change an event"
    )
    def partial_update(self, request: Request, pk: str) -> Response:
        data = EventUpdateInput(data=request.data)
        data.is_valid(raise_exception=True)
        now = utcnow()
        event = event_get_for_actor(event_id=int(pk), actor=request.user, action="change", now=now)
        event_update(event=event, actor=request.user, **data.validated_data)
        return Response(EventOutput(event_get(event_id=event.pk, now=now)).data)

    @extend_schema(
        request=EventUpdateInput, responses={200: EventOutput}, summary="Change an event"
    )
    def update(self, request: Request, pk: str) -> Response:
        return self.partial_update(request, pk)

    @extend_schema(
        responses={200: ShowOutput(many=True)},
        summary="Available showtimes: shows on sale with places left",
        auth=[],
    )
    @action(detail=True, methods=["get"], pagination_class=None, filterset_class=None)
    def showtimes(self, request: Request, pk: str) -> Response:
        now = utcnow()
        event = event_get(event_id=int(pk), now=now)
        return Response(ShowOutput(event_showtimes(event=event, now=now), many=True).data)
