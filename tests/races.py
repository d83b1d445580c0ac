"""Run N real clients at once: threads, each with its own database connection, released
together by a barrier. Used by the concurrency suites (PostgreSQL)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from django.db import connections


def race[T](clients: int, work: Callable[[int], T]) -> list[T]:
    """`work(i)` for i in 0..clients-1, all started at the same instant; results in order."""
    barrier = threading.Barrier(clients)

    def run(i: int) -> T:
        try:
            barrier.wait(timeout=30)
            return work(i)
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=clients) as pool:
        return list(pool.map(run, range(clients)))
