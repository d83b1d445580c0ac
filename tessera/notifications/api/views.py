"""Notifications API: your preferences and notifications; webhooks and the outbox (staff)."""

from __future__ import annotations

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from tessera.accounts.permissions import IsStaff

from ..models import Notification, OutboxMessage, WebhookDelivery, WebhookSubscription
from ..selectors import (
    notification_list,
    outbox_message_get,
    outbox_message_list,
    preference_get,
    webhook_delivery_get,
    webhook_delivery_list,
    webhook_subscription_get,
    webhook_subscription_list,
)
from ..services import (
    outbox_message_retry,
    preference_update,
    webhook_delivery_replay,
    webhook_subscription_create,
    webhook_subscription_delete,
    webhook_subscription_update,
)
from .filters import NotificationFilter, OutboxMessageFilter, WebhookDeliveryFilter
from .serializers import (
    NotificationOutput,
    OutboxMessageOutput,
    PreferenceOutput,
    PreferenceUpdateInput,
    WebhookDeliveryOutput,
    WebhookSubscriptionCreatedOutput,
    WebhookSubscriptionCreateInput,
    WebhookSubscriptionOutput,
    WebhookSubscriptionUpdateInput,
)

UUID_PATH = [OpenApiParameter("id", str, OpenApiParameter.PATH, description="UUID")]


class PreferenceView(APIView):
    """Your notification channels, language and opt-out."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses={200: PreferenceOutput}, summary="Read your preferences")
    def get(self, request: Request) -> Response:
        return Response(PreferenceOutput(preference_get(user=request.user)).data)

    def _update(self, request: Request, partial: bool) -> Response:
        data = PreferenceUpdateInput(data=request.data, partial=partial)
        data.is_valid(raise_exception=True)
        pref = preference_update(user=request.user, **data.validated_data)
        return Response(PreferenceOutput(pref).data)

    @extend_schema(
        request=PreferenceUpdateInput,
        responses={200: PreferenceOutput},
        summary="Change some of your preferences",
    )
    def patch(self, request: Request) -> Response:
        return self._update(request, partial=True)

    @extend_schema(
        request=PreferenceUpdateInput,
        responses={200: PreferenceOutput},
        summary="Set your preferences (fields left out keep their values)",
    )
    def put(self, request: Request) -> Response:
        return self._update(request, partial=True)


class NotificationViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """What you were sent, newest first (staff: everyone's)."""

    serializer_class = NotificationOutput
    filterset_class = NotificationFilter
    ordering_fields = ["id", "created_at"]
    queryset = Notification.objects.none()

    def get_queryset(self) -> QuerySet[Notification]:
        return notification_list(actor=self.request.user)


class WebhookSubscriptionViewSet(viewsets.GenericViewSet):
    """Webhook subscriptions of other services (staff only)."""

    permission_classes = [IsAuthenticated, IsStaff]
    serializer_class = WebhookSubscriptionOutput
    queryset = WebhookSubscription.objects.none()

    def get_queryset(self) -> QuerySet[WebhookSubscription]:
        return webhook_subscription_list(actor=self.request.user)

    @extend_schema(summary="List webhook subscriptions")
    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(WebhookSubscriptionOutput(page, many=True).data)

    @extend_schema(
        request=WebhookSubscriptionCreateInput,
        responses={201: WebhookSubscriptionCreatedOutput},
        summary="Subscribe a URL to event types (the secret is shown once)",
    )
    def create(self, request: Request) -> Response:
        data = WebhookSubscriptionCreateInput(data=request.data)
        data.is_valid(raise_exception=True)
        subscription = webhook_subscription_create(actor=request.user, **data.validated_data)
        return Response(
            WebhookSubscriptionCreatedOutput(subscription).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(summary="Read a webhook subscription")
    def retrieve(self, request: Request, pk: str) -> Response:
        subscription = webhook_subscription_get(subscription_id=pk, actor=request.user)
        return Response(WebhookSubscriptionOutput(subscription).data)

    @extend_schema(
        request=WebhookSubscriptionUpdateInput,
        responses={200: WebhookSubscriptionOutput},
        summary="Change a webhook subscription",
    )
    def partial_update(self, request: Request, pk: str) -> Response:
        subscription = webhook_subscription_get(subscription_id=pk, actor=request.user)
        data = WebhookSubscriptionUpdateInput(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        subscription = webhook_subscription_update(
            subscription=subscription, actor=request.user, **data.validated_data
        )
        return Response(WebhookSubscriptionOutput(subscription).data)

    @extend_schema(responses={204: None}, summary="Delete a subscription and its delivery log")
    def destroy(self, request: Request, pk: str) -> Response:
        subscription = webhook_subscription_get(subscription_id=pk, actor=request.user)
        webhook_subscription_delete(subscription=subscription, actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class WebhookDeliveryViewSet(viewsets.GenericViewSet):
    """The delivery log of webhooks, and replays (staff only)."""

    permission_classes = [IsAuthenticated, IsStaff]
    serializer_class = WebhookDeliveryOutput
    filterset_class = WebhookDeliveryFilter
    queryset = WebhookDelivery.objects.none()
    problem_statuses = {"POST": [409]}

    def get_queryset(self) -> QuerySet[WebhookDelivery]:
        return webhook_delivery_list(actor=self.request.user)

    @extend_schema(summary="List webhook deliveries, each with its attempts")
    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(WebhookDeliveryOutput(page, many=True).data)

    @extend_schema(summary="Read a webhook delivery and its attempts", parameters=UUID_PATH)
    def retrieve(self, request: Request, pk: str) -> Response:
        delivery = webhook_delivery_get(delivery_uid=pk, actor=request.user)
        return Response(WebhookDeliveryOutput(delivery).data)

    @extend_schema(
        request=None,
        responses={202: WebhookDeliveryOutput},
        summary="Send a finished delivery again (same body and event id, new signature)",
        parameters=UUID_PATH,
    )
    @action(detail=True, methods=["post"])
    def replay(self, request: Request, pk: str) -> Response:
        delivery = webhook_delivery_get(delivery_uid=pk, actor=request.user)
        replay = webhook_delivery_replay(delivery=delivery, actor=request.user)
        replay = webhook_delivery_get(delivery_uid=replay.uid, actor=request.user)
        return Response(WebhookDeliveryOutput(replay).data, status=status.HTTP_202_ACCEPTED)


class OutboxMessageViewSet(viewsets.GenericViewSet):
    """The outbox, to watch delivery and retry dead letters (staff only)."""

    permission_classes = [IsAuthenticated, IsStaff]
    serializer_class = OutboxMessageOutput
    filterset_class = OutboxMessageFilter
    queryset = OutboxMessage.objects.none()
    problem_statuses = {"POST": [409]}

    def get_queryset(self) -> QuerySet[OutboxMessage]:
        return outbox_message_list(actor=self.request.user)

    @extend_schema(summary="List outbox messages, newest first")
    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(OutboxMessageOutput(page, many=True).data)

    @extend_schema(summary="Read an outbox message by its event id", parameters=UUID_PATH)
    def retrieve(self, request: Request, pk: str) -> Response:
        return Response(
            OutboxMessageOutput(outbox_message_get(event_id=pk, actor=request.user)).data
        )

    @extend_schema(
        request=None,
        responses={200: OutboxMessageOutput},
        summary="Retry a dead message (409 `outbox_not_dead` otherwise)",
        parameters=UUID_PATH,
    )
    @action(detail=True, methods=["post"])
    def retry(self, request: Request, pk: str) -> Response:
        message = outbox_message_get(event_id=pk, actor=request.user)
        message = outbox_message_retry(message=message, actor=request.user)
        return Response(OutboxMessageOutput(message).data)
