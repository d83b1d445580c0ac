"""The rate limit of anonymous reads (`THROTTLE_ANON_READ`, scope `anon_read`).

Public reads (availability, resources, events, shows, seat maps) cost the database something
for every caller; one without a token or a session gets `anon_read` requests per period per
client address (behind proxies: `NUM_PROXIES`), then 429 `throttled` with `Retry-After`.
Writes and signed-in callers are not counted here. The counts live in the shared cache; when
that cache cannot be reached the request is let through and the failure logged: a rate limit
must not turn an outage of Redis into an outage of the API.
"""

from __future__ import annotations

import logging
from typing import Any

from rest_framework.throttling import AnonRateThrottle

logger = logging.getLogger(__name__)

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


class AnonReadThrottle(AnonRateThrottle):
    scope = "anon_read"

    def allow_request(self, request: Any, view: Any) -> bool:
        if request.method not in SAFE_METHODS:
            return True
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            return True
        try:
            return super().allow_request(request, view)
        except Exception:
            logger.exception("anonymous read rate limit: cache unreachable, request let through")
            return True
