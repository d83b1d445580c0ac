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
from django.db.models import Model

from tessera.bookings.models import Booking, BookingStatusChange

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


def _columns_and_values(obj: Model, skip: str = "") -> tuple[list[str], list[Any]]:
    fields = [f for f in obj._meta.concrete_fields if not f.primary_key and f.attname != skip]
    columns = [connection.ops.quote_name(str(f.column)) for f in fields]
    values = [f.get_db_prep_save(f.pre_save(obj, add=True), connection) for f in fields]
    return columns, values


def _marks(count: int) -> str:
    return ", ".join(["%s"] * count)


def _insert(model: type[Model], columns: list[str], rows: list[str], returning: str = "") -> str:
    """`INSERT INTO <table> (<columns>) VALUES <rows>`: names from model metadata, values as
    `%s` placeholders only (passed as query parameters)."""
    table = connection.ops.quote_name(model._meta.db_table)
    sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES {', '.join(rows)}"  # noqa: S608
    return f"{sql} RETURNING {returning}" if returning else sql


def _in_one_statement(
    booking: Booking,
    ticket: TicketBooking,
    claims: Sequence[SeatClaim],
    history: BookingStatusChange,
) -> None:
    fk = connection.ops.quote_name("booking_id")
    new_id = "(SELECT id FROM b)"
    b_columns, b_values = _columns_and_values(booking)
    t_columns, t_values = _columns_and_values(ticket)  # its primary key is the booking
    h_columns, h_values = _columns_and_values(history, skip="booking_id")
    c_columns: list[str] = []
    c_rows: list[str] = []
    c_values: list[Any] = []
    for claim in claims:
        c_columns, values = _columns_and_values(claim, skip="booking_id")
        c_rows.append(f"({new_id}, {_marks(len(values))})")
        c_values.extend(values)
    t_row = f"({new_id}, {_marks(len(t_values))})"
    h_row = f"({new_id}, {_marks(len(h_values))})"
    parts = [
        f"b AS ({_insert(Booking, b_columns, [f'({_marks(len(b_values))})'], 'id')})",
        f"t AS ({_insert(TicketBooking, [fk, *t_columns], [t_row])})",
        f"h AS ({_insert(BookingStatusChange, [fk, *h_columns], [h_row])})",
    ]
    select = "SELECT b.id, NULL, NULL FROM b"
    if claims:
        parts.append(f"c AS ({_insert(SeatClaim, [fk, *c_columns], c_rows, 'id, seat_id')})")
        select = "SELECT b.id, c.id, c.seat_id FROM b CROSS JOIN c"
    with connection.cursor() as cursor:
        cursor.execute(
            f"WITH {', '.join(parts)} {select}", [*b_values, *t_values, *h_values, *c_values]
        )
        rows = cursor.fetchall()
    _saved(booking, rows[0][0])
    ticket.booking = booking
    _saved(ticket, booking.pk)
    history.booking = booking
    claim_ids = {seat_id: claim_id for _, claim_id, seat_id in rows if claim_id is not None}
    for claim in claims:
        claim.booking = booking
        _saved(claim, claim_ids[claim.seat_id])


def _saved(obj: Model, pk: int) -> None:
    obj.pk = pk
    obj._state.adding = False
    obj._state.db = connection.alias
