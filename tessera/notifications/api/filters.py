from __future__ import annotations

import django_filters

from ..models import Notification, OutboxMessage, WebhookDelivery


class OutboxMessageFilter(django_filters.FilterSet):
    class Meta:
        model = OutboxMessage
        fields = ["status", "event_type", "aggregate", "aggregate_id"]


class WebhookDeliveryFilter(django_filters.FilterSet):
    class Meta:
        model = WebhookDelivery
        fields = ["subscription", "status", "event_type"]


class NotificationFilter(django_filters.FilterSet):
    class Meta:
        model = Notification
        fields = ["status", "channel", "event_type"]
