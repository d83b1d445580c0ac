"""Keys that stay the same on every attempt to send one event to one recipient."""

from __future__ import annotations

import hashlib
from uuid import UUID

from django.conf import settings

# The header a webhook receiver deduplicates on (the IETF `Idempotency-Key` draft): the event id.
IDEMPOTENCY_HEADER = "Idempotency-Key"


def recipient_digest(recipient: str) -> str:
    """SHA-256 of an address or number (case and surrounding spaces ignored)."""
    return hashlib.sha256(recipient.strip().lower().encode("utf-8")).hexdigest()


def email_message_id(*, event_id: UUID, recipient: str) -> str:
    """The Message-ID (RFC 5322) of one event's email to one address: derived from the event
    id, so a mail server or client that receives it twice can tell it is one message."""
    domain = settings.NOTIFICATIONS["ICS_DOMAIN"]
    return f"<tessera.{event_id}.{recipient_digest(recipient)[:16]}@{domain}>"
