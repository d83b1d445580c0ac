"""Helpers for the few hot paths that write several related rows in ONE statement (PostgreSQL
data-modifying CTEs) instead of the ORM's one round trip per row.

Columns and values always come from the models (`pre_save` + `get_db_prep_save`, as Django's own
insert compiler does), so the SQL cannot drift from them; table and column names come from model
metadata, and every value is a query parameter.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
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


@dataclass(frozen=True)
class Children:
    """Rows of one model that point at the parent being inserted, through the foreign key `fk`.

    `alias` names their CTE. With `key` (an attname whose value tells the rows apart, e.g.
    `resource_id`), their primary keys are read back and set; rows whose primary key IS the
    foreign key (a one-to-one part) get the parent's."""

    rows: Sequence[Model]
    alias: str
    key: str = ""


def insert_family(
    parent: Model, *, fk: str, children: Sequence[Children], alias: str = "b"
) -> None:
    """Insert `parent` and its children and fill in their primary keys: ONE statement on
    PostgreSQL (data-modifying CTEs), the ORM's one insert per model elsewhere. At most one
    group has a `key`. A constraint violation raises the same `IntegrityError` as the ORM."""
    groups = [group for group in children if group.rows]
    if connection.vendor != "postgresql":
        parent.save(force_insert=True)
        for group in groups:
            for row in group.rows:
                setattr(row, fk, parent)
            type(group.rows[0])._default_manager.bulk_create(group.rows)
        return
    # Aliases, keys, tables and columns come from code and model metadata; values are parameters.
    new_id = f"(SELECT id FROM {alias})"  # noqa: S608
    p_columns, p_values = columns_and_values(parent)
    parts = [
        f"{alias} AS ({insert_sql(type(parent), p_columns, [f'({placeholders(len(p_values))})'], 'id')})"
    ]
    params: list[Any] = [*p_values]
    keyed: Children | None = None
    for group in groups:
        model = type(group.rows[0])
        field = model._meta.get_field(fk)
        columns: list[str] = []
        rows: list[str] = []
        for row in group.rows:
            columns, values = columns_and_values(row, skip=field.attname)  # type: ignore[union-attr]
            rows.append(f"({new_id}, {placeholders(len(values))})")
            params.extend(values)
        fk_column = connection.ops.quote_name(str(field.column))  # type: ignore[union-attr]
        returning = f"id, {group.key}" if group.key else ""
        parts.append(
            f"{group.alias} AS ({insert_sql(model, [fk_column, *columns], rows, returning)})"
        )
        if group.key:
            keyed = group
    select = f"SELECT {alias}.id, NULL, NULL FROM {alias}"  # noqa: S608
    if keyed is not None:
        k = keyed.alias
        select = f"SELECT {alias}.id, {k}.id, {k}.{keyed.key} FROM {alias} CROSS JOIN {k}"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(f"WITH {', '.join(parts)} {select}", params)
        answer = cursor.fetchall()
    mark_saved(parent, answer[0][0])
    ids = {key: row_id for _, row_id, key in answer if row_id is not None}
    for group in groups:
        primary_is_fk = group.rows[0]._meta.pk.name == fk
        for row in group.rows:
            setattr(row, fk, parent)
            if group is keyed:
                mark_saved(row, ids[getattr(row, group.key)])
            elif primary_is_fk:
                mark_saved(row, parent.pk)
