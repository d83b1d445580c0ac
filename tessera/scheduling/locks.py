"""Row locks on resources. Every lock here is evaluated, ordered by pk, and meant to be short.

`FOR NO KEY UPDATE`: it serialises the writers that count a resource's bookings, yet does not
block the foreign-key checks of rows that merely point at the resource.
"""

from __future__ import annotations

from collections.abc import Iterable

from .models import Resource


def resources_lock(*, resource_ids: Iterable[int]) -> list[Resource]:
    """Lock and (re)read the resources, in pk order. Caller is inside `transaction.atomic()`.

    Missing ids are simply absent from the result; the caller decides what that means.
    """
    return list(
        Resource.objects.select_for_update(no_key=True)
        .filter(pk__in=sorted(set(resource_ids)))
        .order_by("pk")
    )
