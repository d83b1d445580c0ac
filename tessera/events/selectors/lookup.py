"""Shows by id, with their event and venue, for pages that list many bookings at once."""

from __future__ import annotations

from collections.abc import Iterable

from ..models import Show


def shows_by_ids(*, show_ids: Iterable[int]) -> dict[int, Show]:
    """One query: the shows with their event and venue, keyed by id (unknown ids are absent)."""
    ids = set(show_ids)
    if not ids:
        return {}
    return Show.objects.select_related("event", "venue", "hall").in_bulk(ids)
