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

from tessera.core.sql import columns_and_values, insert_sql, mark_saved, placeholders
from tessera.scheduling.cache import availability_changed

from .models import Booking, BookingStatusChange, TimeAllocation


def booking_insert(
    *, booking: Booking, allocations: Sequence[TimeAllocation], history: BookingStatusChange
) -> None:
    """Insert the three kinds of row of a new booking and fill in their primary keys."""
    if any(a.is_live for a in allocations):
        availability_changed(resource_ids=[a.resource_id for a in allocations])
    if connection.vendor == "postgresql":
        _insert_in_one_statement(booking, allocations, history)
        return
    booking.save(force_insert=True)
    for allocation in allocations:
        allocation.booking = booking
    TimeAllocation.objects.bulk_create(allocations)
    history.booking = booking
    history.save(force_insert=True)


def _insert_in_one_statement(
    booking: Booking, allocations: Sequence[TimeAllocation], history: BookingStatusChange
) -> None:
    fk = connection.ops.quote_name("booking_id")
    new_id = "(SELECT id FROM b)"
    b_columns, b_values = columns_and_values(booking)
    a_columns: list[str] = []
    a_rows: list[str] = []
    a_values: list[Any] = []
    for allocation in allocations:
        a_columns, values = columns_and_values(allocation, skip="booking_id")
        a_rows.append(f"({new_id}, {placeholders(len(values))})")
        a_values.extend(values)
    h_columns, h_values = columns_and_values(history, skip="booking_id")
    h_row = f"({new_id}, {placeholders(len(h_values))})"
    # Names come from model metadata; every value is a query parameter.
    sql = (
        f"WITH b AS ({insert_sql(Booking, b_columns, [f'({placeholders(len(b_values))})'], 'id')}), "  # noqa: S608
        f"a AS ({insert_sql(TimeAllocation, [fk, *a_columns], a_rows, 'id, resource_id')}), "
        f"h AS ({insert_sql(BookingStatusChange, [fk, *h_columns], [h_row])}) "
        "SELECT b.id, a.id, a.resource_id FROM b CROSS JOIN a"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*b_values, *a_values, *h_values])
        rows = cursor.fetchall()
    by_resource = {resource_id: allocation_id for _, allocation_id, resource_id in rows}
    mark_saved(booking, rows[0][0])
    for allocation in allocations:
        allocation.booking = booking
        mark_saved(allocation, by_resource[allocation.resource_id])
    history.booking = booking
