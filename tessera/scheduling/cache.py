"""Free slots kept in the shared cache (Redis when `REDIS_URL` is set, else the process's memory),
made stale by a per-resource generation.

Every cached answer is filed under the current generation of each of its resources. A change
that alters a resource's free time (a booking made, cancelled, moved, or a status that frees or
takes time; hours, closures, openings, rules, capacity, zone) calls `availability_changed`,
which bumps those generations: the old entries are never read again and expire by themselves
(`AVAILABILITY_CACHE_SECONDS`). No key is ever deleted, so no reader can race a deletion.

Why this is safe: a reader takes the generations *before* it reads the database. A writer bumps
them inside its transaction and again once it has committed. A reader that read the old rows
therefore files them under a generation that is already gone by the time the writer's change
is visible, or under the one bumped before the commit, which the bump after the commit retires.

The cache is a speed-up, never a dependency: when it fails (Redis down) slots are computed as
without it, a failed bump is logged, and what it should have retired expires within its TTL.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

logger = logging.getLogger(__name__)

_GENERATION = "tessera:avail:gen:{}"
_ENTRY = "tessera:avail:v1:{}"

type SlotRows = list[tuple[int, int, int]]


def availability_changed(*, resource_ids: Iterable[int]) -> None:
    """The cached free slots of these resources are stale from now on.

    Call it from the write that changes a resource's free time, inside its transaction: it
    bumps the resources' generations now and once more after the commit (see the module
    docstring). Outside a transaction the second bump follows at once.
    """
    ids = sorted({int(i) for i in resource_ids})
    if not ids:
        return
    _bump(ids)
    transaction.on_commit(lambda: _bump(ids))


def _fresh() -> int:
    # A generation nobody has used: a key lost from the cache never comes back as an old value.
    return time.time_ns()


def _bump(ids: Sequence[int]) -> None:
    try:
        for resource_id in ids:
            key = _GENERATION.format(resource_id)
            try:
                cache.incr(key)
            except ValueError:  # not in the cache (never read, or evicted)
                cache.set(key, _fresh(), timeout=None)
    except Exception:
        logger.exception("availability cache: could not retire the slots of %s", list(ids))


def _generations(ids: Sequence[int]) -> list[int]:
    keys = [_GENERATION.format(i) for i in ids]
    found = cache.get_many(keys)
    for key in keys:
        if key not in found:
            cache.add(key, _fresh(), timeout=None)
            found[key] = cache.get(key)
    return [int(found[key]) for key in keys]


def cache_seconds() -> int:
    return int(settings.TESSERA["AVAILABILITY_CACHE_SECONDS"])


def cached_slot_rows(
    *, resource_ids: Sequence[int], params: Sequence[Any], compute: Callable[[], SlotRows]
) -> SlotRows:
    """`compute()`, or what it returned for the same resources, generations and `params`
    within the last `AVAILABILITY_CACHE_SECONDS` (0: never cached)."""
    ttl = cache_seconds()
    if ttl <= 0:
        return compute()
    try:
        generations = _generations(resource_ids)
        raw = repr((list(resource_ids), generations, list(params))).encode()
        key = _ENTRY.format(hashlib.sha256(raw).hexdigest())
        rows: SlotRows | None = cache.get(key)
    except Exception:
        logger.exception("availability cache: unreadable, computing the slots")
        return compute()
    if rows is not None:
        return rows
    rows = compute()
    try:
        cache.set(key, rows, timeout=ttl)
    except Exception:
        logger.exception("availability cache: could not keep the slots")
    return rows
