"""Row locks of the events app, and the short transaction that takes them.

Scarce things (places, seats, a customer's hold allowance) are taken inside `ticket_transaction`,
which turns a lock timeout (every connection has one: `DB_LOCK_TIMEOUT_MS`) or a deadlock into
`LockTimeout` (409 with `Retry-After`). Locks are taken late and in the one order of
`docs/concurrency.md` (customer, hall, bookings, waitlisted bookings, show, hold, seat claims). Each lock
queryset is evaluated here (an unevaluated `select_for_update()` locks nothing). On SQLite the
write transaction itself is the lock (`BEGIN IMMEDIATE` serialises writers).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.contrib.auth import get_user_model
from django.db import connection, transaction

from tessera.core.locking import lock_failures_as_conflict

from .models import Hall, Hold, Show


@contextmanager
def ticket_transaction() -> Iterator[None]:
    """One short write transaction with bounded lock waits (`core.locking`)."""
    with lock_failures_as_conflict("The show is busy; retry in a moment."), transaction.atomic():
        yield


def lock_customer(*, user_id: int) -> None:
    """Serialises one customer's holds, so their allowance is counted exactly."""
    list(get_user_model().objects.select_for_update().filter(pk=user_id).values_list("pk"))


_SHOW = "SELECT * FROM events_show WHERE id = %s"
_SHOW_LOCKS = {
    "NO KEY UPDATE": _SHOW + " FOR NO KEY UPDATE",
    "KEY SHARE": _SHOW + " FOR KEY SHARE",
    "UPDATE": _SHOW + " FOR UPDATE",
}


def _locked_show(show_id: int, mode: str) -> Show | None:
    # A raw query: it runs on every ticket sold and costs less than building it with the ORM.
    sql = _SHOW_LOCKS[mode] if connection.vendor == "postgresql" else _SHOW
    found = list(Show.objects.raw(sql, [show_id]))
    return found[0] if found else None


def lock_show_for_sale(*, show_id: int) -> Show | None:
    """`FOR NO KEY UPDATE` of the show: general-admission places are counted under this lock
    (and a capacity change waits for it). Seat buyers are not blocked by it."""
    return _locked_show(show_id, "NO KEY UPDATE")


def lock_show_shared(*, show_id: int) -> Show | None:
    """`FOR KEY SHARE` of the show: taken by seat buyers, who may run side by side; it makes a
    cancellation of the show (`lock_show_exclusive`) wait for them, and them for it.
    (Each seat claim's foreign key check takes this same lock at commit anyway.)"""
    return _locked_show(show_id, "KEY SHARE")


def lock_show_exclusive(*, show_id: int) -> Show | None:
    """`FOR UPDATE` of the show: cancelling it waits for every buyer and stops new ones."""
    return _locked_show(show_id, "UPDATE")


def lock_hall(*, hall_id: int) -> None:
    """Serialises the scheduling of shows in one hall (the no-overlap check)."""
    list(Hall.objects.select_for_update().filter(pk=hall_id).values_list("pk"))


def lock_hold(*, hold_id: int) -> Hold | None:
    """Taken after the show's lock (the lock order of `docs/concurrency.md`)."""
    return Hold.objects.select_for_update().filter(pk=hold_id).first()
