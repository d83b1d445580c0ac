"""The DRF side of `Idempotency-Key` (storage and rules: `tessera.core.idempotency`).

A view wraps the work of a POST in `idempotent_response(request, scope=..., run=...)`:

    def create(self, request):
        return idempotent_response(request, scope="bookings.create", run=lambda: ...)

Without the header, `run()` is simply called. With it, the first request runs inside one
transaction with its claim on the key; a retry replays the stored status, body and `Location`
(marked `Idempotent-Replayed: true`); another request with the same key is a 409
`idempotency_key_reused`. Anonymous requests are not deduplicated.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db import IntegrityError, transaction
from django.http import HttpResponse
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from tessera.core.idempotency import (
    StoredResponse,
    idempotency_claim,
    idempotency_complete,
    idempotency_lookup,
    request_fingerprint,
    validate_key,
)

HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
_REPLAYED_HEADERS = ("Location",)


class _NotStored(Exception):
    """Carries a non-2xx response out of the transaction, so that its claim rolls back."""

    def __init__(self, response: Response) -> None:
        self.response = response


def idempotent_response(
    request: Request, *, scope: str, run: Callable[[], Response]
) -> HttpResponse:
    key = request.headers.get(HEADER)
    if key is None or not request.user.is_authenticated:
        return run()
    validate_key(key)
    user_id: int = request.user.pk
    fingerprint = request_fingerprint(
        method=request.method or "", path=request.path, data=request.data
    )

    def lookup() -> StoredResponse | None:
        return idempotency_lookup(user_id=user_id, scope=scope, key=key, fingerprint=fingerprint)

    stored = lookup()
    if stored is not None:
        return _replay(stored)
    claimed = False
    try:
        with transaction.atomic():
            record = idempotency_claim(
                user_id=user_id, scope=scope, key=key, fingerprint=fingerprint
            )
            claimed = True
            response = run()
            if not 200 <= response.status_code < 300:
                raise _NotStored(response)
            idempotency_complete(record=record, response=_stored(response))
    except _NotStored as exc:
        return exc.response
    except IntegrityError:
        if claimed:
            raise
        stored = lookup()  # the other request committed: replay its result
        if stored is None:  # pragma: no cover - it rolled back and its claim with it
            return run()
        return _replay(stored)
    return response


def _stored(response: Response) -> StoredResponse:
    body = JSONRenderer().render(response.data).decode()
    headers = {name: response[name] for name in _REPLAYED_HEADERS if name in response}
    return StoredResponse(status=response.status_code, body=body, headers=headers)


def _replay(stored: StoredResponse) -> HttpResponse:
    response = HttpResponse(stored.body, status=stored.status, content_type="application/json")
    for name, value in stored.headers.items():
        response[name] = value
    response[REPLAYED_HEADER] = "true"
    return response
