"""Recognising the database errors the booking services turn into domain errors."""

from __future__ import annotations

from django.db import DatabaseError

OVERLAP_CONSTRAINT = "bookings_allocation_no_overlap"


def _diag(exc: DatabaseError) -> tuple[str, str]:
    cause = exc.__cause__
    sqlstate = getattr(cause, "sqlstate", "") or ""
    diag = getattr(cause, "diag", None)
    constraint = getattr(diag, "constraint_name", "") or ""
    return sqlstate, constraint


def is_overlap_violation(exc: DatabaseError) -> bool:
    """The PostgreSQL exclusion constraint on live allocations refused a row (SQLSTATE 23P01)."""
    sqlstate, constraint = _diag(exc)
    return sqlstate == "23P01" and constraint == OVERLAP_CONSTRAINT
