"""Rate limits that never turn an outage of the shared cache into a 500.

The limits live in the default cache (Redis in production, so that every web process counts
together). When that cache fails (Redis down, a timeout), the request is counted in this
process's own memory instead: the limit still holds per process, sign-in and sign-up keep
working, and each failure is logged as an error and counted in the metric
`tessera_rate_limit_cache_errors_total`.
"""

from __future__ import annotations

import logging
from typing import Any

from django.core.cache.backends.locmem import LocMemCache
from redis.exceptions import RedisError
from rest_framework.throttling import ScopedRateThrottle

from tessera.core.metrics import RATE_LIMIT_CACHE_ERRORS

logger = logging.getLogger(__name__)

_local = LocMemCache("tessera-rate-limit-fallback", {"OPTIONS": {"MAX_ENTRIES": 10_000}})
_CACHE_ERRORS = (RedisError, OSError)


class ResilientScopedRateThrottle(ScopedRateThrottle):
    def allow_request(self, request: Any, view: Any) -> bool:
        try:
            return super().allow_request(request, view)
        except _CACHE_ERRORS as exc:
            RATE_LIMIT_CACHE_ERRORS.labels(scope=str(self.scope)).inc()
            logger.error(
                "Rate-limit cache unavailable (%s: %s); counting in process memory",
                type(exc).__name__,
                exc,
                extra={"scope": self.scope},
            )
            self.cache = _local
            return super().allow_request(request, view)
