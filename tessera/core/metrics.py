"""Process metrics in Prometheus' text format at `GET /metrics` (for the scraper on the
internal network: route only `/api/`, `/admin/` and the pages through the public proxy).

With several web processes (gunicorn workers), set `PROMETHEUS_MULTIPROC_DIR` to an empty
folder writable by all of them: each process writes its counters there and `/metrics` adds
them up, whichever process answers.
"""

from __future__ import annotations

import os

from django.http import HttpRequest, HttpResponse
from prometheus_client import REGISTRY, CollectorRegistry, Counter, generate_latest, multiprocess
from prometheus_client.exposition import CONTENT_TYPE_LATEST

RATE_LIMIT_CACHE_ERRORS = Counter(
    "tessera_rate_limit_cache_errors",
    "Rate-limit checks that found the shared cache unavailable and counted in process memory.",
    ["scope"],
)


def metrics(request: HttpRequest) -> HttpResponse:
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
    else:
        registry = REGISTRY
    return HttpResponse(generate_latest(registry), content_type=CONTENT_TYPE_LATEST)
