"""`/api/bookings/`: the one bookings API of every kind, and `/api/users/<id>/booking-history/`.

Creating a booking follows the first route of `kinds.CREATE_ROUTES` whose body shape it is
(ticket bookings of the events app), else books time. Every POST honours `Idempotency-Key`. `?tz=<IANA zone>` shows the
times of a response in that zone.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiParameter, PolymorphicProxySerializer, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from tessera.accounts.access import has_role, is_staff
from tessera.accounts.models import User
from tessera.accounts.roles import Role
from tessera.api.fields import ID_PATTERN
from tessera.api.idempotency import idempotent_response
from tessera.api.pagination import PageNumberPagination
from tessera.api.schema import AutoSchema
from tessera.api.timezones import TZ_PARAM, requested_zone
from tessera.core.errors import NotFound, PermissionDenied, ValidationFailed

from ..models import Booking
from ..selectors.bookings import (
    booking_get_for_actor,
    booking_history,
    booking_list,
    booking_prefetch_output,
)
from ..services.changes import booking_update
from ..services.create import booking_create_time
from ..services.status import (
    booking_cancel,
    booking_confirm,
    booking_decline,
    booking_mark_no_show,
)
from .filters import BookingFilter
from .kinds import create_request_serializers, create_route_for
from .serializers import (
    BookingOutput,
    BookingReasonInput,
    BookingTimeCreateInput,
    BookingUpdateInput,
    HistoryOutput,
)

TZ = OpenApiParameter(TZ_PARAM, str, description="Show times in this IANA zone (default UTC).")
IDEMPOTENCY = OpenApiParameter(
    "Idempotency-Key",
    str,
    OpenApiParameter.HEADER,
    description="A retry with the same key returns the first result (24 h).",
)


def booking_response(request: Request, booking: Booking | Any, **kwargs: Any) -> Response:
    """The booking (or a page of them, `many=True`) rendered in the requested zone."""
    zone = requested_zone(request)
    if zone is None:
        return Response(BookingOutput(booking, **kwargs).data)
    with timezone.override(zone):
        return Response(BookingOutput(booking, **kwargs).data)


class BookingSchema(AutoSchema):
    """POST /api/bookings/ accepts the time body and every other kind's body."""

    def get_request_serializer(self) -> Any:
        if self.method == "POST" and getattr(self.view, "action", None) == "create":
            return PolymorphicProxySerializer(
                component_name="BookingCreateInput",
                serializers=[BookingTimeCreateInput, *create_request_serializers()],
                resource_type_field_name=None,
            )
        return super().get_request_serializer()


def _id(raw: str) -> int:
    return int(raw)


class BookingViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Bookings of every kind. Customers see theirs; providers those on their resources; staff
    all. Nothing is ever deleted: `DELETE` cancels."""

    serializer_class = BookingOutput
    queryset = Booking.objects.none()
    filterset_class = BookingFilter
    lookup_value_regex = ID_PATTERN
    schema = BookingSchema()
    problem_statuses = {
        "GET": [400],  # ?tz= that is not a zone
        "POST": [404, 409],  # 404: a hold, show or event named in the body that is not there
        "PUT": [409],
        "PATCH": [409],
        "DELETE": [409],
    }

    def get_queryset(self) -> QuerySet[Booking]:
        return booking_list(actor=self.request.user)

    filter_backends = [DjangoFilterBackend]  # ordering is a filter of BookingFilter

    @extend_schema(parameters=[TZ], summary="List bookings")
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        body = booking_response(request, page, many=True).data
        return self.get_paginated_response(body)

    @extend_schema(
        responses={201: BookingOutput},
        parameters=[IDEMPOTENCY],
        summary="Book: time on a resource, a gig (several resources), or another kind",
    )
    def create(self, request: Request) -> Response:
        if not isinstance(request.data, Mapping):
            raise ValidationFailed("The body must be a JSON object.", code="invalid")
        route = create_route_for(request.data)
        make = route.handle if route is not None else self._create_time
        return idempotent_response(  # type: ignore[return-value]
            request, scope="bookings.create", run=lambda: _created(request, make(request))
        )

    def _create_time(self, request: Request) -> Booking:
        data = BookingTimeCreateInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        customer = _customer(values.pop("customer_id"), request.user)
        booking = booking_create_time(
            actor=request.user,
            resource_ids=values["resource_ids"],
            start=values["start_time"],
            end=values.get("end_time"),
            duration=values.get("duration"),
            customer=customer,
            notes=values.get("notes", ""),
            waitlist=values.get("waitlist", False),
        )
        return booking

    @extend_schema(parameters=[TZ], summary="Read a booking")
    def retrieve(self, request: Request, pk: str) -> Response:
        booking = booking_get_for_actor(booking_id=_id(pk), actor=request.user)
        return booking_response(request, booking)

    @extend_schema(
        request=BookingUpdateInput,
        responses={200: BookingOutput},
        summary="Change notes, move (reschedule) or change the status of a booking",
    )
    def partial_update(self, request: Request, pk: str) -> Response:
        data = BookingUpdateInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        booking = booking_update(
            booking_id=_id(pk),
            actor=request.user,
            notes=values.get("notes"),
            start=values.get("start_time"),
            end=values.get("end_time"),
            duration=values.get("duration"),
            status=values.get("status"),
            reason=values.get("reason", ""),
        )
        return booking_response(request, booking_prefetch_output(booking))

    @extend_schema(
        request=BookingUpdateInput,
        responses={200: BookingOutput},
        summary="Change a booking (as PATCH: the fields given are changed)",
    )
    def update(self, request: Request, pk: str) -> Response:
        return self.partial_update(request, pk)

    @extend_schema(
        request=None,
        responses={200: BookingOutput},
        summary="Cancel a booking (the record stays, status cancelled)",
    )
    def destroy(self, request: Request, pk: str) -> Response:
        booking = booking_cancel(booking_id=_id(pk), actor=request.user)
        return booking_response(request, booking_prefetch_output(booking))

    @extend_schema(
        request=BookingReasonInput,
        responses={200: BookingOutput},
        parameters=[IDEMPOTENCY],
        summary="Cancel a booking",
    )
    @action(detail=True, methods=["post"])
    def cancel(self, request: Request, pk: str) -> Response:
        reason = _reason(request)
        return _idempotent(
            request,
            "cancel",
            lambda: booking_cancel(booking_id=_id(pk), actor=request.user, reason=reason),
        )

    @extend_schema(
        request=None,
        responses={200: BookingOutput},
        parameters=[IDEMPOTENCY],
        summary="Confirm a pending booking: the owner approves (resource's owner, staff); the "
        "customer accepts a place offered from the waiting list (see `offer`)",
    )
    @action(detail=True, methods=["post"])
    def confirm(self, request: Request, pk: str) -> Response:
        return _idempotent(
            request, "confirm", lambda: booking_confirm(booking_id=_id(pk), actor=request.user)
        )

    @extend_schema(
        request=BookingReasonInput,
        responses={200: BookingOutput},
        parameters=[IDEMPOTENCY],
        summary="Decline a pending booking (the resource's owner, staff)",
    )
    @action(detail=True, methods=["post"])
    def decline(self, request: Request, pk: str) -> Response:
        reason = _reason(request)
        return _idempotent(
            request,
            "decline",
            lambda: booking_decline(booking_id=_id(pk), actor=request.user, reason=reason),
        )

    @extend_schema(
        request=BookingReasonInput,
        responses={200: BookingOutput},
        parameters=[IDEMPOTENCY],
        summary="Mark a started booking as a no-show (the resource's owner, staff)",
    )
    @action(detail=True, methods=["post"], url_path="no-show")
    def no_show(self, request: Request, pk: str) -> Response:
        reason = _reason(request)
        return _idempotent(
            request,
            "no_show",
            lambda: booking_mark_no_show(booking_id=_id(pk), actor=request.user, reason=reason),
        )

    @extend_schema(responses={200: HistoryOutput(many=True)}, summary="Status history of a booking")
    @action(detail=True, methods=["get"], pagination_class=None, filterset_class=None)
    def history(self, request: Request, pk: str) -> Response:
        booking = booking_get_for_actor(booking_id=_id(pk), actor=request.user)
        return Response(HistoryOutput(booking_history(booking=booking), many=True).data)


def _created(request: Request, booking: Booking) -> Response:
    response = booking_response(request, booking)
    response.status_code = status.HTTP_201_CREATED
    response["Location"] = f"/api/bookings/{booking.pk}/"
    return response


def _idempotent(request: Request, action: str, change: Callable[[], Booking]) -> Response:
    """Run a status change once per `Idempotency-Key`: a retry returns the first answer."""

    def run() -> Response:
        return booking_response(request, booking_prefetch_output(change()))

    return idempotent_response(request, scope=f"bookings.{action}", run=run)  # type: ignore[return-value]


def _reason(request: Request) -> str:
    data = BookingReasonInput(data=request.data if isinstance(request.data, Mapping) else None)
    data.is_valid(raise_exception=True)
    return str(data.validated_data["reason"])


def _customer(customer_id: int | None, actor: Any) -> User | None:
    if customer_id is None or customer_id == actor.pk:
        return None
    customer = User.objects.filter(pk=customer_id, is_active=True).first()
    if customer is None:
        raise ValidationFailed("No such user.", code="does_not_exist", field="customer")
    return customer


class UserBookingHistoryView(APIView):
    """`GET /api/users/<id>/booking-history/`: the user's bookings, newest first. The user and
    staff see all of them; a provider sees those on their resources; others may not look."""

    filterset_class = BookingFilter
    # Declared so the schema shows the page (count, next, previous, results) it answers.
    pagination_class = PageNumberPagination

    @extend_schema(
        parameters=[TZ],
        responses={200: BookingOutput(many=True)},
        summary="A user's booking history",
    )
    def get(self, request: Request, user_id: str) -> Response:
        user = User.objects.filter(pk=int(user_id)).first()
        if user is None:
            raise NotFound("No such user.", code="user_not_found")
        actor = request.user
        if not _may_see_history(actor, user):
            raise PermissionDenied("You may see only your own booking history.")
        queryset = booking_list(actor=actor).filter(customer=user)
        queryset = DjangoFilterBackend().filter_queryset(request, queryset, self)
        paginator = self.pagination_class()
        page: list[Booking] | None = paginator.paginate_queryset(queryset, request, view=self)
        return paginator.get_paginated_response(booking_response(request, page, many=True).data)


def _may_see_history(actor: Any, user: User) -> bool:
    """The user, staff, and the roles that own what bookings hold (who then see only the
    bookings on what they own: the list is filtered by the one visibility rule)."""
    if actor.pk == user.pk or is_staff(actor):
        return True
    return has_role(actor, Role.PROVIDER) or has_role(actor, Role.ORGANIZER)
