"""Recognising a lock failure: the one rule for every service and the API's error handler.

A lock wait that timed out (PostgreSQL `lock_timeout`, SQLSTATE 55P03, also what `NOWAIT`
raises), a deadlock PostgreSQL broke by rolling us back (40P01), a serialization failure
(40001), or SQLite's busy timeout ("database is locked"): nothing was written and a retry will
do, so each becomes `LockTimeout` (409 with `Retry-After`).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import DatabaseError, OperationalError

from .errors import LockTimeout

LOCK_FAILURE_SQLSTATES = frozenset({"55P03", "40P01", "40001"})
_LOCK_FAILURE_WORDS = ("lock timeout", "database is locked", "could not obtain lock", "deadlock")


def is_lock_failure(exc: BaseException) -> bool:
    """Whether a database error means "busy, retry": by SQLSTATE on PostgreSQL (psycopg puts
    the driver's error in `__cause__`), by message elsewhere."""
    if not isinstance(exc, DatabaseError):
        return False
    if getattr(exc.__cause__, "sqlstate", None) in LOCK_FAILURE_SQLSTATES:
        return True
    text = str(exc).lower()
    return any(word in text for word in _LOCK_FAILURE_WORDS)


@contextmanager
def lock_failures_as_conflict(message: str | None = None) -> Iterator[None]:
    """Turn a lock failure raised inside the block into `LockTimeout`; other errors pass."""
    try:
        yield
    except OperationalError as exc:
        if is_lock_failure(exc):
            raise LockTimeout(message) from exc
        raise
