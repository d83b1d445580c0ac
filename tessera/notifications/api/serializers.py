from __future__ import annotations

from django.conf import settings
from django.core.validators import URLValidator
from rest_framework import serializers

from tessera.api.serializers import ModelOutput

from ..events import NOTIFIED_EVENTS
from ..models import (
    Channel,
    DeliveryStatus,
    Notification,
    NotificationPreference,
    OutboxMessage,
    OutboxStatus,
    WebhookAttempt,
    WebhookDelivery,
    WebhookSubscription,
)

HTTP_URL = URLValidator(schemes=["http", "https"], message="Give an http or https URL.")


class PreferenceOutput(ModelOutput):
    class Meta:
        model = NotificationPreference
        fields = [
            "email_enabled",
            "sms_enabled",
            "whatsapp_enabled",
            "phone_number",
            "language",
            "opted_out",
            "muted_events",
        ]
        read_only_fields = fields


class PreferenceUpdateInput(serializers.Serializer):
    email_enabled = serializers.BooleanField(required=False)
    sms_enabled = serializers.BooleanField(required=False)
    whatsapp_enabled = serializers.BooleanField(required=False)
    phone_number = serializers.CharField(
        required=False, allow_blank=True, max_length=16, help_text="E.164, e.g. +34600111222."
    )
    language = serializers.ChoiceField(
        required=False,
        allow_blank=True,
        choices=[(code, code) for code in settings.NOTIFICATIONS["LANGUAGES"]],
        help_text="Empty: the site's language.",
    )
    opted_out = serializers.BooleanField(required=False, help_text="Stop every notification.")
    muted_events = serializers.ListField(
        required=False,
        max_length=len(NOTIFIED_EVENTS),
        child=serializers.ChoiceField(choices=[(e, e) for e in NOTIFIED_EVENTS]),
        help_text="Event types not to be told about.",
    )


class NotificationOutput(ModelOutput):
    id = serializers.UUIDField(source="uid", read_only=True)

    class Meta:
        model = Notification
        fields = [
            "id",
            "event_id",
            "event_type",
            "channel",
            "recipient",
            "language",
            "subject",
            "body",
            "status",
            "attempts",
            "last_error",
            "created_at",
            "sent_at",
        ]
        read_only_fields = fields


class WebhookSubscriptionOutput(ModelOutput):
    class Meta:
        model = WebhookSubscription
        fields = ["id", "name", "url", "event_types", "is_active", "created_at", "updated_at"]
        read_only_fields = fields


class WebhookSubscriptionCreatedOutput(WebhookSubscriptionOutput):
    """Creation is the one time the secret is shown."""

    class Meta(WebhookSubscriptionOutput.Meta):
        fields = [*WebhookSubscriptionOutput.Meta.fields, "secret"]
        read_only_fields = fields


class WebhookSubscriptionCreateInput(serializers.Serializer):
    name = serializers.CharField(max_length=100)
    url = serializers.URLField(
        max_length=500,
        validators=[HTTP_URL],
        help_text="http(s) endpoint that receives POSTs.",
    )
    event_types = serializers.ListField(
        child=serializers.CharField(max_length=64),
        min_length=1,
        max_length=50,
        help_text="Exact types (`booking.confirmed`), prefixes (`booking.*`) or `*`.",
    )
    secret = serializers.CharField(
        required=False,
        min_length=16,
        max_length=128,
        help_text="Shared signing secret; generated (and shown once) when left out.",
    )


class WebhookSubscriptionUpdateInput(serializers.Serializer):
    name = serializers.CharField(max_length=100, required=False)
    url = serializers.URLField(max_length=500, required=False, validators=[HTTP_URL])
    event_types = serializers.ListField(
        child=serializers.CharField(max_length=64), min_length=1, max_length=50, required=False
    )
    is_active = serializers.BooleanField(required=False)
    secret = serializers.CharField(min_length=16, max_length=128, required=False)


class WebhookAttemptOutput(ModelOutput):
    class Meta:
        model = WebhookAttempt
        fields = ["at", "status_code", "error", "response_body", "duration_ms"]
        read_only_fields = fields


class WebhookDeliveryOutput(ModelOutput):
    id = serializers.UUIDField(source="uid", read_only=True)
    replay_of = serializers.UUIDField(source="replay_of.uid", read_only=True, allow_null=True)
    log = WebhookAttemptOutput(many=True, read_only=True)

    class Meta:
        model = WebhookDelivery
        fields = [
            "id",
            "subscription",
            "event_id",
            "event_type",
            "status",
            "attempts",
            "available_at",
            "last_status_code",
            "last_error",
            "created_at",
            "sent_at",
            "replay_of",
            "log",
        ]
        read_only_fields = fields


class OutboxMessageOutput(ModelOutput):
    class Meta:
        model = OutboxMessage
        fields = [
            "event_id",
            "event_type",
            "aggregate",
            "aggregate_id",
            "payload",
            "status",
            "attempts",
            "available_at",
            "last_error",
            "created_at",
            "queued_at",
            "processed_at",
        ]
        read_only_fields = fields


STATUS_FILTERS = {
    "outbox": [s.value for s in OutboxStatus],
    "delivery": [s.value for s in DeliveryStatus],
    "channel": [c.value for c in Channel],
}
