"""One message to one person on one channel, rendered when the event fanned out."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models

from .base import QueuedRow


class Channel(models.TextChoices):
    EMAIL = "email"
    SMS = "sms"
    WHATSAPP = "whatsapp"


class Notification(QueuedRow):
    """Unique per (event, user, channel): handling an event twice notifies nobody twice."""

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    event_id = models.UUIDField(help_text="The outbox message this came from.")
    event_type = models.CharField(max_length=64)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    channel = models.CharField(max_length=16, choices=Channel.choices)
    language = models.CharField(max_length=8)
    recipient = models.CharField(max_length=254, help_text="Email address or phone number.")
    subject = models.CharField(max_length=255, blank=True, default="")
    body = models.TextField()
    ics = models.TextField(blank=True, default="", help_text="Calendar file sent with an email.")
    provider_ref = models.CharField(max_length=128, blank=True, default="")

    class Meta:
        ordering = ["-id"]
        indexes = [
            models.Index(
                fields=["available_at", "id"],
                condition=models.Q(status="pending"),
                name="notif_notification_due",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["event_id", "user", "channel"], name="notif_notification_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.event_type} to {self.recipient} by {self.channel} ({self.status})"
