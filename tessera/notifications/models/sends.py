"""The send ledger: one row per (event, channel, recipient) that Tessera tried to reach.

A notification or webhook delivery row says what *should* go out; the ledger says what was
*handed to a provider*. It is written in its own committed transaction before the send
(`sending`) and finished together with the row's outcome (`sent` or `failed`), so a sender that
comes back to a row — after its lease passed, or from another row for the same recipient —
recognises a send that already went out and does not repeat it. The recipient is kept as a
digest (no address or phone number is stored here), so erasing a person leaves nothing behind.
"""

from __future__ import annotations

from django.db import models


class SendState(models.TextChoices):
    SENDING = "sending", "handed over, outcome not yet recorded"
    SENT = "sent"
    FAILED = "failed", "the last attempt failed; a retry may send"


class SendRecord(models.Model):
    event_id = models.UUIDField()
    channel = models.CharField(max_length=16, help_text="email, sms, whatsapp or webhook.")
    recipient_digest = models.CharField(
        max_length=64, help_text="SHA-256 of the address, number or webhook subscription key."
    )
    idempotency_key = models.CharField(
        max_length=255, help_text="What the receiver can deduplicate on (Message-ID, event id)."
    )
    state = models.CharField(max_length=16, choices=SendState.choices)
    attempts = models.PositiveIntegerField(default=1)
    started_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)
    provider_ref = models.CharField(max_length=128, blank=True, default="")

    class Meta:
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["event_id", "channel", "recipient_digest"], name="notif_send_once"
            ),
        ]
        indexes = [models.Index(fields=["started_at"], name="notif_send_started")]

    def __str__(self) -> str:
        return f"{self.channel} send of {self.event_id} ({self.state})"
