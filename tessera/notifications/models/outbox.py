"""The outbox: one row per domain event, written in the transaction of the change it reports."""

from __future__ import annotations

import uuid

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models


class OutboxStatus(models.TextChoices):
    PENDING = "pending", "pending (waiting for the relay)"
    QUEUED = "queued", "queued (handed to the broker)"
    DONE = "done", "done (fanned out)"
    DEAD = "dead", "dead (gave up; retry by hand)"


# Rows the relay looks at: waiting ones, and queued ones whose handling is overdue.
RELAY_STATUSES = (OutboxStatus.PENDING, OutboxStatus.QUEUED)


class OutboxMessage(models.Model):
    """A domain event (`booking.confirmed`, ...) waiting to be delivered, at least once.

    `event_id` is the stable id of the message: the Celery task id, the `Tessera-Event-Id` of
    webhooks and the key every consumer deduplicates on. `dedup_key` (optional) makes
    publishing idempotent: a second publish with the same key returns the first row.
    """

    event_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    event_type = models.CharField(max_length=64)
    aggregate = models.CharField(max_length=32, help_text="What changed, e.g. `booking`.")
    aggregate_id = models.CharField(max_length=64, help_text="Its id or reference.")
    payload = models.JSONField(encoder=DjangoJSONEncoder)
    dedup_key = models.CharField(max_length=200, unique=True, null=True, blank=True)
    status = models.CharField(
        max_length=16, choices=OutboxStatus.choices, default=OutboxStatus.PENDING
    )
    attempts = models.PositiveIntegerField(default=0, help_text="Failed handling attempts.")
    available_at = models.DateTimeField(help_text="When the relay next hands it to the broker.")
    last_error = models.TextField(blank=True, default="")
    created_at = models.DateTimeField()
    queued_at = models.DateTimeField(null=True, blank=True)
    processed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        indexes = [
            models.Index(
                fields=["available_at", "id"],
                condition=models.Q(status__in=["pending", "queued"]),
                name="notif_outbox_due",
            ),
            models.Index(fields=["aggregate", "aggregate_id"], name="notif_outbox_aggregate"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=[s.value for s in OutboxStatus]),
                name="notif_outbox_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.event_type} {self.aggregate}:{self.aggregate_id} ({self.status})"
