"""Webhooks for other services: subscriptions, deliveries and the log of each attempt."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models

from .base import QueuedRow


class WebhookSubscription(models.Model):
    """`event_types` holds exact types (`booking.confirmed`), prefixes (`booking.*`) or `*`."""

    name = models.CharField(max_length=100)
    url = models.URLField(max_length=500)
    secret = models.CharField(max_length=128, help_text="Signs every payload (HMAC-SHA256).")
    event_types = models.JSONField(default=list)
    is_active = models.BooleanField(default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.name} -> {self.url}"

    def wants(self, event_type: str) -> bool:
        for pattern in self.event_types:
            if pattern == "*" or pattern == event_type:
                return True
            if pattern.endswith(".*") and event_type.startswith(pattern[:-1]):
                return True
        return False


class WebhookDelivery(QueuedRow):
    """One event to one subscription. The body is fixed when it is created; a replay is a new
    delivery with the same body and event id (so the receiver can deduplicate) and `replay_of`.
    """

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    subscription = models.ForeignKey(
        WebhookSubscription, on_delete=models.CASCADE, related_name="deliveries"
    )
    event_id = models.UUIDField()
    event_type = models.CharField(max_length=64)
    body = models.TextField(help_text="The exact JSON body that is signed and sent.")
    replay_of = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="replays"
    )
    last_status_code = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["-id"]
        verbose_name_plural = "webhook deliveries"
        indexes = [
            models.Index(
                fields=["available_at", "id"],
                condition=models.Q(status="pending"),
                name="notif_webhook_due",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["subscription", "event_id"],
                condition=models.Q(replay_of__isnull=True),
                name="notif_webhook_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.event_type} to subscription {self.subscription_id} ({self.status})"


class WebhookAttempt(models.Model):
    """The delivery log: one row per HTTP attempt, with what the receiver answered."""

    delivery = models.ForeignKey(WebhookDelivery, on_delete=models.CASCADE, related_name="log")
    at = models.DateTimeField()
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    error = models.TextField(blank=True, default="")
    response_body = models.TextField(blank=True, default="")
    duration_ms = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"attempt at {self.at:%Y-%m-%d %H:%M:%S} -> {self.status_code or self.error[:40]}"
