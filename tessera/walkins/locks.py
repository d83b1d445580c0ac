"""Row locks of walk-in queues: a queue is serialised by its resource's row lock."""

from __future__ import annotations

from tessera.core.errors import NotFound
from tessera.scheduling.locks import resources_lock
from tessera.scheduling.models import Resource

from .models import WalkIn


def queue_lock(*, resource_id: int) -> Resource:
    """Lock the queue of a resource (its row, evaluated). Caller is inside `atomic()`."""
    locked = resources_lock(resource_ids=[resource_id])
    if not locked:
        raise NotFound("No such resource.", code="resource_not_found")
    return locked[0]


def walkin_lock(*, walkin_id: int) -> WalkIn | None:
    """Re-read one walk-in under lock (after its queue's lock). Caller is inside `atomic()`."""
    return WalkIn.objects.select_for_update().filter(pk=walkin_id).first()
