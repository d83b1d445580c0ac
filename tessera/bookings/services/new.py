"""The one skeleton of a new booking, for every kind: a time booking, a gig, tickets, a service
recorded after the fact (`create.py`, `records.py`, `events.services.tickets`).

The caller holds the locks of what it books and has checked that it fits; it builds the unsaved
header (`Booking`) and what the booking holds (`Part`s). `booking_write_new` then, in the
caller's transaction: refuses a second place in the same waiting list (`already_waitlisted`),
inserts the header, the parts and the first history row (ONE statement on PostgreSQL:
`core.sql.insert_family`), fills the booking's caches with the parts (its output and its domain
event then need no query), puts a waitlisted booking at the end of its list, and publishes the
booking's event.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Model

from tessera.core.orm import prefetch_fill, related_fill
from tessera.core.sql import Children, insert_family
from tessera.scheduling.cache import availability_changed

from ..lifecycle import booking_created_publish, booking_created_row
from ..models import Booking, TimeAllocation
from ..waitlist import waitlist_ensure_not_queued, waitlist_entry_add


@dataclass(frozen=True)
class Part:
    """Rows a new booking holds: the booking's relation `relation` (a reverse foreign key, or a
    reverse one-to-one with `one`), written in a CTE named `alias`; `key` tells the rows apart in
    the insert's answer (their ids are read back)."""

    relation: str
    rows: Sequence[Model]
    alias: str
    key: str = ""
    one: bool = False


@dataclass(frozen=True)
class WaitlistSpot:
    """A waitlisted booking's place at the end of `list_key` (the caller holds its lock)."""

    list_key: str
    quantity: int
    category: str = ""


def booking_write_new(
    *,
    booking: Booking,
    actor: Any,
    parts: Sequence[Part],
    now: datetime,
    reason: str = "",
    waitlist: WaitlistSpot | None = None,
) -> Booking:
    """Write a new booking of any kind (see the module docstring). Statements on PostgreSQL:
    the insert (1), plus the waiting list's check and entry when `waitlist`, plus the outbox
    row of its event."""
    if waitlist is not None:
        waitlist_ensure_not_queued(list_key=waitlist.list_key, customer_id=booking.customer_id)
    history = booking_created_row(booking=booking, actor=actor, reason=reason, now=now)
    families = [Children(rows=part.rows, alias=part.alias, key=part.key) for part in parts]
    # The history row's CTE follows the first part: each kind's statement is the one it was.
    families.insert(1, Children(rows=[history], alias="h"))
    insert_family(booking, fk="booking", children=families)
    taken = [
        row.resource_id
        for part in parts
        for row in part.rows
        if isinstance(row, TimeAllocation) and row.is_live
    ]
    if taken:
        availability_changed(resource_ids=taken)
    for part in parts:
        if part.one:
            related_fill(booking, part.relation, part.rows[0])
        else:
            prefetch_fill(booking, part.relation, part.rows)
    if waitlist is not None:
        waitlist_entry_add(
            booking=booking,
            list_key=waitlist.list_key,
            quantity=waitlist.quantity,
            now=now,
            category=waitlist.category,
        )
    booking_created_publish(booking=booking, now=now)
    return booking
