"""What every queued row shares: a status, a due time, attempts and the last error.

A row is *due* when its status is pending and `available_at <= now`. Claiming a row moves
`available_at` forward by a lease (so a crashed sender's rows come back by themselves) and
counts the attempt; the outcome then marks it sent, or due again after a backoff, or dead.
"""

from __future__ import annotations

from django.db import models


class DeliveryStatus(models.TextChoices):
    PENDING = "pending"
    SENT = "sent"
    DEAD = "dead"


class QueuedRow(models.Model):
    status = models.CharField(
        max_length=16, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveIntegerField(default=0)
    available_at = models.DateTimeField(help_text="When this row is next due.")
    last_error = models.TextField(blank=True, default="")
    created_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True
