"""`Idempotency-Key`: a retried request gets the first result instead of doing it again.

Generic (no domain knowledge): a record per (user, scope, key) holds a fingerprint of the first
request and its response. `tessera.api.idempotency.idempotent_response` is the DRF side that
views call; this module is the storage and the rules:

- the first request with a key claims it (inserts the record) at the start of its transaction,
  and stores its successful (2xx) result in that same transaction, so the effects and the stored
  result commit together or not at all;
- a retry with the same key and the same request replays the stored result;
- the same key with a different request is refused (409 `idempotency_key_reused`);
- a concurrent duplicate blocks on the key's unique index until the first commits, then
  replays its result (or runs, if the first failed and rolled back);
- a failed request (an error response) stores nothing: a retry runs again;
- records older than `TESSERA["IDEMPOTENCY_TTL_HOURS"]` no longer count and are purged by
  `idempotency_purge`.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings

from .clock import utcnow
from .errors import Conflict, ValidationFailed
from .models import IdempotencyRecord

KEY_PATTERN = re.compile(r"^[\x21-\x7e]{1,255}$")  # visible ASCII, as the IETF draft suggests


class IdempotencyKeyReused(Conflict):
    default_code = "idempotency_key_reused"
    default_message = "This Idempotency-Key was used for a different request."


@dataclass(frozen=True)
class StoredResponse:
    status: int
    body: str
    headers: dict[str, str]


def validate_key(key: str) -> str:
    if not KEY_PATTERN.match(key):
        raise ValidationFailed(
            "The Idempotency-Key header must be 1-255 visible ASCII characters.",
            code="invalid_idempotency_key",
        )
    return key


def request_fingerprint(*, method: str, path: str, data: Any) -> str:
    """A hash of what the request asks for (its parsed body compared by content)."""
    canonical = json.dumps(data, sort_keys=True, separators=(",", ":"), default=str)
    digest = hashlib.sha256()
    for part in (method.upper(), "\0", path, "\0", canonical):
        digest.update(part.encode())
    return digest.hexdigest()


def _ttl() -> timedelta:
    return timedelta(hours=settings.TESSERA["IDEMPOTENCY_TTL_HOURS"])


def idempotency_lookup(
    *, user_id: int, scope: str, key: str, fingerprint: str, now: datetime | None = None
) -> StoredResponse | None:
    """The stored result for this key, or None if there is none (an expired one is deleted).

    Raises `IdempotencyKeyReused` when the key was used for a different request.
    """
    now = now or utcnow()
    record = IdempotencyRecord.objects.filter(user_id=user_id, scope=scope, key=key).first()
    if record is None:
        return None
    if record.created_at <= now - _ttl():
        record.delete()
        return None
    if record.fingerprint != fingerprint:
        raise IdempotencyKeyReused(scope=scope)
    return StoredResponse(
        status=record.status_code,
        body=record.response_body,
        headers=json.loads(record.response_headers or "{}"),
    )


def idempotency_claim(
    *, user_id: int, scope: str, key: str, fingerprint: str, now: datetime | None = None
) -> IdempotencyRecord:
    """Claim the key for this request. Caller is inside the transaction that will do the work;
    an `IntegrityError` means another request holds or held the key (look it up again)."""
    return IdempotencyRecord.objects.create(
        user_id=user_id,
        scope=scope,
        key=key,
        fingerprint=fingerprint,
        status_code=0,
        response_body="",
        created_at=now or utcnow(),
    )


def idempotency_complete(*, record: IdempotencyRecord, response: StoredResponse) -> None:
    """Store the result of the claimed request, in the transaction that produced it."""
    record.status_code = response.status
    record.response_body = response.body
    record.response_headers = json.dumps(response.headers)
    record.save(update_fields=["status_code", "response_body", "response_headers"])


def idempotency_purge(*, now: datetime | None = None) -> int:
    """Delete expired records; returns how many. Idempotent; for a periodic job."""
    now = now or utcnow()
    deleted, _ = IdempotencyRecord.objects.filter(created_at__lte=now - _ttl()).delete()
    return deleted
