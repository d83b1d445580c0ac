"""The one place that touches private attributes of Django's ORM, for the speed-ups that need them.

A service that has just written a booking and its related rows already holds them: filling the
instance's caches as `prefetch_related` / `select_related` would lets the output render without
reading them back. Django has no public API for that, so these helpers use its internals
(`_prefetched_objects_cache`, a queryset's `_result_cache` and `_prefetch_done`, a relation's
`set_cached_value`). `tessera/core/tests/test_orm.py` fails when Django changes them, and
`scripts/lint.sh` refuses those names anywhere else in `tessera/`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Model


def prefetched(obj: Model, name: str) -> list[Any] | None:
    """The objects of relation `name` prefetched on `obj` (by `prefetch_related` or
    `prefetch_fill`), or None when they were not."""
    cache = getattr(obj, "_prefetched_objects_cache", None) or {}
    found = cache.get(name)
    return None if found is None else list(found)


def prefetch_fill(obj: Model, name: str, objects: Iterable[Any]) -> None:
    """Make `getattr(obj, name).all()` return `objects` without a query, as `prefetch_related`
    would have left it."""
    queryset = getattr(obj, name).all()
    queryset._result_cache = list(objects)
    queryset._prefetch_done = True
    cache = getattr(obj, "_prefetched_objects_cache", None)
    if cache is None:
        cache = {}
        obj._prefetched_objects_cache = cache  # type: ignore[attr-defined]
    cache[name] = queryset


def prefetch_forget(obj: Model) -> None:
    """Drop what was prefetched on `obj`, so that a new `prefetch_related_objects` reads again."""
    if hasattr(obj, "_prefetched_objects_cache"):
        obj._prefetched_objects_cache = {}


def related_fill(obj: Model, name: str, value: Model) -> None:
    """Set the cached object of the reverse one-to-one relation `name` of `obj` (as
    `select_related` would), so that `getattr(obj, name)` needs no query."""
    descriptor = getattr(type(obj), name)
    descriptor.related.set_cached_value(obj, value)
