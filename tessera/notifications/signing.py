"""Webhook signatures: HMAC-SHA256 over `timestamp + "." + body`, hex, in `Tessera-Signature`.

A receiver recomputes the signature with the shared secret, compares in constant time and
refuses a timestamp older than a few minutes (replay protection). `webhook_signature_verify`
does all three; receivers written in Python can copy it.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import datetime

from tessera.core.clock import utcnow

from .errors import WebhookSignatureExpired, WebhookSignatureInvalid

SIGNATURE_HEADER = "Tessera-Signature"
TIMESTAMP_HEADER = "Tessera-Timestamp"
EVENT_ID_HEADER = "Tessera-Event-Id"
EVENT_TYPE_HEADER = "Tessera-Event-Type"
DELIVERY_ID_HEADER = "Tessera-Delivery-Id"
SCHEME = "sha256="


def webhook_signature(*, secret: str, timestamp: int | str, body: bytes) -> str:
    """The value of the signature header: `sha256=<hex digest>`."""
    signed = str(timestamp).encode("ascii") + b"." + body
    return SCHEME + hmac.new(secret.encode("utf-8"), signed, hashlib.sha256).hexdigest()


def webhook_signature_verify(
    *,
    secret: str,
    body: bytes,
    timestamp: str,
    signature: str,
    tolerance_seconds: int = 300,
    now: datetime | None = None,
) -> None:
    """Raise unless `signature` signs `body` at `timestamp` and the timestamp is recent."""
    try:
        sent_at = int(timestamp)
    except (TypeError, ValueError):
        raise WebhookSignatureInvalid("The timestamp is not a number of seconds.") from None
    expected = webhook_signature(secret=secret, timestamp=sent_at, body=body)
    if not hmac.compare_digest(expected.encode(), str(signature).strip().encode()):
        raise WebhookSignatureInvalid()
    age = (now or utcnow()).timestamp() - sent_at
    if abs(age) > tolerance_seconds:
        raise WebhookSignatureExpired(age_seconds=int(age), tolerance_seconds=tolerance_seconds)
