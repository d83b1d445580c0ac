"""The table of booking kinds: what each of the four kinds does for the code every kind shares.

The set of kinds is closed (`models.BookingKind`), so it is one table, not a registry filled at
start-up. Time bookings (a slot, a gig) are implemented in this app (`allocations.TimeKind`);
ticket bookings (general admission, reserved seating) in the events app (`events.kind`). The
events app builds on this one (it imports our models and services), so the table names its
implementation by dotted path, as Django's settings name middleware, and resolves it on first
use: the import graph keeps one direction, and a reader still finds every implementation here.

Who asks the table:

| operation | asked by |
|---|---|
| `follow_status`, `follow_status_many` | `lifecycle.booking_transition(_batch)`: keep what the booking holds in step |
| `waitlist_where`, `awaits_approval` | `promotion`: whom a freed booking makes room for; a promotion's target status |
| `describe` | `domain_events`: the title, place, zone and people of a booking's event |
| `scope`, `owns` | `access`: the owners of what a booking holds see and manage it |
| `output_prefetch` | `selectors.bookings`: what `BookingOutput` reads, in a fixed number of queries |

How a kind is created and which output fields it shows are API matters: `api/kinds.py`
(`CREATE_ROUTES`) and `api/serializers.BookingOutput` (declared fields).
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Any, Protocol, runtime_checkable

from django.db.models import Q
from django.utils.module_loading import import_string

from .models import Booking, BookingKind


@runtime_checkable
class KindOps(Protocol):
    """What a kind of booking provides. Every method takes bookings of its own kinds only."""

    def follow_status(self, booking: Booking, from_status: str, to_status: str) -> None:
        """Inside the status change's transaction (the caller holds the booking's lock): keep
        what the booking holds in step: free it when the booking stops being live, take it back
        (re-checked: raise a `DomainError` when it no longer fits) when it becomes live again."""

    def follow_status_many(
        self, bookings: Sequence[Booking], from_status: str, to_status: str
    ) -> None:
        """`follow_status` for many bookings leaving one status, in a fixed number of queries
        where the kind can."""

    def waitlist_where(self, booking: Booking) -> Q | None:
        """The waiting-list entries (`WaitlistEntry` filter) a booking that stopped being live
        makes room for; None: nobody's."""

    def awaits_approval(self, booking: Booking) -> bool:
        """Whether an owner of what the booking holds has yet to approve it."""

    def describe(self, bookings: Sequence[Booking]) -> dict[int, dict[str, Any]]:
        """Extra keys of each booking's domain event (title, location, timezone,
        notify_user_ids, quantity), in a fixed number of queries."""

    def scope(self, user: Any) -> Q:
        """The bookings holding something the user owns, as a filter on `Booking` (a subquery
        such as `Exists(...)`, never a join: every list uses it)."""

    def owns(self, user: Any, booking: Booking) -> bool:
        """Whether the user owns something this booking holds."""

    def output_prefetch(self) -> Sequence[Any]:
        """The `prefetch_related` lookups of what the booking output reads for this kind."""


# The table. Two kinds may share one implementation (a gig is time on several resources).
KIND_OPS: dict[str, str] = {
    BookingKind.TIME: "tessera.bookings.allocations.TIME_KIND",
    BookingKind.GIG: "tessera.bookings.allocations.TIME_KIND",
    BookingKind.ADMISSION: "tessera.events.kind.TICKET_KIND",
    BookingKind.SEATING: "tessera.events.kind.TICKET_KIND",
}


@functools.cache
def _resolve(path: str) -> KindOps:
    ops = import_string(path)
    if not isinstance(ops, KindOps):  # pragma: no cover - caught by tests/test_kinds.py
        raise TypeError(f"{path} does not implement KindOps")
    return ops


def kind_ops(kind: str) -> KindOps:
    """The implementation of one kind (`KeyError` for a kind not in the table)."""
    return _resolve(KIND_OPS[kind])


def all_kind_ops() -> list[KindOps]:
    """Every implementation once, in the table's order."""
    return [_resolve(path) for path in dict.fromkeys(KIND_OPS.values())]
