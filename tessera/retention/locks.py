"""Row locks of the retention job: a batch of bookings, in pk order, evaluated.

`SKIP LOCKED`: two runs of the job at once (a beat tick and a manual command) split the rows
between them instead of waiting on each other; a row one of them holds is the other's to skip.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import QuerySet

from tessera.bookings.models import Booking


def bookings_lock_batch(*, eligible: QuerySet[Booking], ids: Iterable[int]) -> list[int]:
    """Lock the still-eligible bookings among `ids`; their ids, ascending. Inside `atomic()`."""
    return list(
        eligible.select_for_update(skip_locked=True, of=("self",))
        .filter(pk__in=sorted(set(ids)))
        .order_by("pk")
        .values_list("pk", flat=True)
    )
