"""A new time booking written in ONE statement on PostgreSQL: the booking, its allocations and
its first history row, through data-modifying CTEs (the ORM takes three round trips).

Why by hand: this is the hot path of every booking, and round trips are most of its cost. The
columns and values still come from the models (`pre_save` + `get_db_prep_save`, as Django's
own insert compiler does), so the SQL cannot drift from the models. Constraint violations
(the exclusion constraint on allocations) raise the same `IntegrityError` as the ORM would.
Other databases use the ORM (`booking_insert` picks).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import connection
from django.db.models import Model

from .models import Booking, BookingStatusChange, TimeAllocation


def booking_insert(
    *, booking: Booking, allocations: Sequence[TimeAllocation], history: BookingStatusChange
) -> None:
    """Insert the three kinds of row of a new booking and fill in their primary keys."""
    if connection.vendor == "postgresql":
        _insert_in_one_statement(booking, allocations, history)
        return
    booking.save(force_insert=True)
    for allocation in allocations:
        allocation.booking = booking
    TimeAllocation.objects.bulk_create(allocations)
    history.booking = booking
    history.save(force_insert=True)


def _columns_and_values(obj: Model, skip: str = "") -> tuple[list[str], list[Any]]:
    fields = [f for f in obj._meta.concrete_fields if not f.primary_key and f.attname != skip]
    columns = [connection.ops.quote_name(str(f.column)) for f in fields]
    values = [f.get_db_prep_save(f.pre_save(obj, add=True), connection) for f in fields]
    return columns, values


def _insert_in_one_statement(
    booking: Booking, allocations: Sequence[TimeAllocation], history: BookingStatusChange
) -> None:
    quote = connection.ops.quote_name
    b_columns, b_values = _columns_and_values(booking)
    a_columns: list[str] = []
    a_rows: list[str] = []
    a_values: list[Any] = []
    for allocation in allocations:
        a_columns, values = _columns_and_values(allocation, skip="booking_id")
        a_rows.append(f"((SELECT id FROM b), {marks(len(values))})")  # noqa: S608
        a_values.extend(values)
    h_columns, h_values = _columns_and_values(history, skip="booking_id")
    booking_fk = quote("booking_id")
    # Table and column names come from model metadata; every value is a query parameter.
    sql = (
        f"WITH b AS (INSERT INTO {quote(Booking._meta.db_table)} ({', '.join(b_columns)}) "  # noqa: S608
        f"VALUES ({marks(len(b_values))}) RETURNING id), "
        f"a AS (INSERT INTO {quote(TimeAllocation._meta.db_table)} "
        f"({booking_fk}, {', '.join(a_columns)}) VALUES {', '.join(a_rows)} "
        "RETURNING id, resource_id), "
        f"h AS (INSERT INTO {quote(BookingStatusChange._meta.db_table)} "
        f"({booking_fk}, {', '.join(h_columns)}) "
        f"VALUES ((SELECT id FROM b), {marks(len(h_values))})) "
        "SELECT b.id, a.id, a.resource_id FROM b CROSS JOIN a"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*b_values, *a_values, *h_values])
        rows = cursor.fetchall()
    by_resource = {resource_id: allocation_id for _, allocation_id, resource_id in rows}
    _saved(booking, rows[0][0])
    for allocation in allocations:
        allocation.booking = booking
        _saved(allocation, by_resource[allocation.resource_id])
    history.booking = booking


def marks(count: int) -> str:
    return ", ".join(["%s"] * count)


def _saved(obj: Model, pk: int) -> None:
    obj.pk = pk
    obj._state.adding = False
    obj._state.db = connection.alias
