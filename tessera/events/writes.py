"""A new ticket booking written in ONE statement on PostgreSQL: the booking, its ticket, its
seat claims and its first history row, through data-modifying CTEs (the ORM takes four round
trips), as `tessera.bookings.writes` does for time bookings.

The columns and values come from the models (`pre_save` + `get_db_prep_save`, as Django's own
insert compiler does), so the SQL cannot drift from them; a seat claimed at the same moment by
another buyer raises the same `IntegrityError` (the unique constraint on live claims) as the ORM
would. Other databases use the ORM.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import connection

from tessera.bookings.models import Booking, BookingStatusChange
from tessera.core.sql import columns_and_values, insert_sql, mark_saved, placeholders

from .models import SeatClaim, TicketBooking


def ticket_booking_insert(
    *,
    booking: Booking,
    ticket: TicketBooking,
    claims: Sequence[SeatClaim],
    history: BookingStatusChange,
) -> None:
    """Insert the rows of a new ticket booking and fill in their primary keys."""
    if connection.vendor == "postgresql":
        _in_one_statement(booking, ticket, claims, history)
        return
    booking.save(force_insert=True)
    ticket.booking = booking
    ticket.save(force_insert=True)
    for claim in claims:
        claim.booking = booking
    SeatClaim.objects.bulk_create(claims)
    history.booking = booking
    history.save(force_insert=True)


def _in_one_statement(
    booking: Booking,
    ticket: TicketBooking,
    claims: Sequence[SeatClaim],
    history: BookingStatusChange,
) -> None:
    fk = connection.ops.quote_name("booking_id")
    new_id = "(SELECT id FROM b)"
    b_columns, b_values = columns_and_values(booking)
    t_columns, t_values = columns_and_values(ticket)  # its primary key is the booking
    h_columns, h_values = columns_and_values(history, skip="booking_id")
    c_columns: list[str] = []
    c_rows: list[str] = []
    c_values: list[Any] = []
    for claim in claims:
        c_columns, values = columns_and_values(claim, skip="booking_id")
        c_rows.append(f"({new_id}, {placeholders(len(values))})")
        c_values.extend(values)
    t_row = f"({new_id}, {placeholders(len(t_values))})"
    h_row = f"({new_id}, {placeholders(len(h_values))})"
    parts = [
        f"b AS ({insert_sql(Booking, b_columns, [f'({placeholders(len(b_values))})'], 'id')})",
        f"t AS ({insert_sql(TicketBooking, [fk, *t_columns], [t_row])})",
        f"h AS ({insert_sql(BookingStatusChange, [fk, *h_columns], [h_row])})",
    ]
    select = "SELECT b.id, NULL, NULL FROM b"
    if claims:
        parts.append(f"c AS ({insert_sql(SeatClaim, [fk, *c_columns], c_rows, 'id, seat_id')})")
        select = "SELECT b.id, c.id, c.seat_id FROM b CROSS JOIN c"
    with connection.cursor() as cursor:
        cursor.execute(
            f"WITH {', '.join(parts)} {select}", [*b_values, *t_values, *h_values, *c_values]
        )
        rows = cursor.fetchall()
    mark_saved(booking, rows[0][0])
    ticket.booking = booking
    mark_saved(ticket, booking.pk)
    history.booking = booking
    claim_ids = {seat_id: claim_id for _, claim_id, seat_id in rows if claim_id is not None}
    for claim in claims:
        claim.booking = booking
        mark_saved(claim, claim_ids[claim.seat_id])
