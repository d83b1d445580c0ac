"""Helpers for the few hot paths that write several related rows in ONE statement (PostgreSQL
data-modifying CTEs) instead of the ORM's one round trip per row.

Columns and values always come from the models (`pre_save` + `get_db_prep_save`, as Django's own
insert compiler does), so the SQL cannot drift from them; table and column names come from model
metadata, and every value is a query parameter.
"""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.db.models import Model


def columns_and_values(obj: Model, skip: str = "") -> tuple[list[str], list[Any]]:
    """Quoted column names and prepared values of a new row (no primary key, minus `skip`)."""
    fields = [f for f in obj._meta.concrete_fields if not f.primary_key and f.attname != skip]
    columns = [connection.ops.quote_name(str(f.column)) for f in fields]
    values = [f.get_db_prep_save(f.pre_save(obj, add=True), connection) for f in fields]
    return columns, values


def placeholders(count: int) -> str:
    return ", ".join(["%s"] * count)


def insert_sql(model: type[Model], columns: list[str], rows: list[str], returning: str = "") -> str:
    """`INSERT INTO <table> (<columns>) VALUES <rows> [RETURNING …]`; rows hold only `%s`
    placeholders and sub-selects of earlier CTEs."""
    table = connection.ops.quote_name(model._meta.db_table)
    sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES {', '.join(rows)}"  # noqa: S608
    return f"{sql} RETURNING {returning}" if returning else sql


def mark_saved(obj: Model, pk: int) -> None:
    """Make an instance written by hand look like one the ORM inserted."""
    obj.pk = pk
    obj._state.adding = False
    obj._state.db = connection.alias
