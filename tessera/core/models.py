"""Models with no domain knowledge, shared by every app."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class IdempotencyRecord(models.Model):
    """The first result of a request sent with an `Idempotency-Key` (see `core/idempotency.py`).

    Keyed by user + scope (e.g. `bookings.create`) + the client's key. `fingerprint` is a hash of
    the request (method, path, body): the same key with another request is refused.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    scope = models.CharField(max_length=64)
    key = models.CharField(max_length=255)
    fingerprint = models.CharField(max_length=64)
    status_code = models.PositiveSmallIntegerField()
    # The rendered body and the headers worth replaying (JSON text): a retry gets the same bytes.
    response_body = models.TextField()
    response_headers = models.TextField(default="{}")
    created_at = models.DateTimeField(db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "scope", "key"], name="core_idempotency_key_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.scope}:{self.key} -> {self.status_code}"
