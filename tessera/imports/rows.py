"""Reading an export: CSV or JSON rows into `ImportRow`s, or a `RowRefused` naming why.

The documented shape (docs/migrating.md) takes the field names of the earlier systems too:
`user` for `customer`, `show_id` for `show`, `seat_ids` for `seats`, `event` for an event with
one show, `resource` / `start_time` / `end_time` as the Alacademy and barber services sent them.
Nothing here touches the database.
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

# The earlier systems' status names, and what each becomes.
STATUS_MAP = {
    "confirmed": "confirmed",
    "active": "confirmed",
    "booked": "confirmed",
    "approved": "confirmed",
    "cancelled": "cancelled",
    "canceled": "cancelled",
    "completed": "completed",
    "queue": "waitlisted",
    "waitlisted": "waitlisted",
}
# Known, but not importable: they say what did not happen and hold nothing.
NOT_IMPORTED = {"expired", "pending", "declined", "no_show"}
ALIASES = {"user": "customer", "show_id": "show", "seat_ids": "seats", "id": "external_id"}
MAX_TEXT = 1000


class RowRefused(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class ImportRow:
    number: int
    external_id: str
    customer: str
    status: str
    resources: list[str] = field(default_factory=list)
    start: datetime | None = None
    end: datetime | None = None
    show: int | None = None
    event: int | None = None
    seats: list[str] = field(default_factory=list)
    quantity: int = 1
    notes: str = ""

    @property
    def is_time(self) -> bool:
        return bool(self.resources)


def rows_read(path: Path, *, fmt: str | None = None) -> list[dict[str, Any]]:
    """The raw rows of a `.csv` (header line) or `.json` (a list, or {"bookings": [...]})."""
    fmt = fmt or path.suffix.lstrip(".").lower()
    text = path.read_text(encoding="utf-8-sig")
    if fmt == "csv":
        return [dict(row) for row in csv.DictReader(io.StringIO(text))]
    if fmt == "json":
        data = json.loads(text)
        if isinstance(data, dict):
            data = data.get("bookings")
        if not isinstance(data, list) or not all(isinstance(r, dict) for r in data):
            raise ValueError('A JSON import is a list of objects, or {"bookings": [...]}.')
        return data
    raise ValueError(f"Unknown format {fmt!r}: use a .csv or .json file (or --format).")


def _text(raw: dict[str, Any], name: str) -> str:
    value = raw.get(name)
    if value is None:
        return ""
    if isinstance(value, (dict, list)):
        raise RowRefused("invalid_field", f"{name} must be a single value.")
    text = str(value).strip()
    if len(text) > MAX_TEXT:
        raise RowRefused("invalid_field", f"{name} is longer than {MAX_TEXT} characters.")
    return text


def _list(raw: dict[str, Any], name: str) -> list[str]:
    value = raw.get(name)
    if value in (None, ""):
        return []
    items = value if isinstance(value, list) else re.split(r"[|;]", str(value))
    return [str(item).strip() for item in items if str(item).strip()]


def _int(raw: dict[str, Any], name: str, *, minimum: int = 1) -> int | None:
    text = _text(raw, name)
    if not text:
        return None
    if not re.fullmatch(r"\d{1,9}", text) or int(text) < minimum:
        raise RowRefused("invalid_field", f"{name} must be a whole number of at least {minimum}.")
    return int(text)


def _time(raw: dict[str, Any], name: str) -> datetime | None:
    text = _text(raw, name)
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise RowRefused("invalid_time", f"{name} is not an ISO 8601 time: {text!r}.") from None
    if moment.utcoffset() is None:
        raise RowRefused("invalid_time", f"{name} needs a UTC offset (e.g. Z or +01:00).")
    return moment


def row_parse(raw: dict[str, Any], *, number: int) -> ImportRow:
    """One row, checked for shape (not against the database)."""
    raw = {ALIASES.get(key, key): value for key, value in raw.items()}
    external_id = _text(raw, "external_id")
    if not external_id:
        raise RowRefused(
            "missing_field", "external_id (the row's id in the old system) is required."
        )
    customer = _text(raw, "customer")
    if not customer:
        raise RowRefused("missing_field", "customer (a username, email or user id) is required.")
    status_name = _text(raw, "status").lower() or "confirmed"
    if status_name in NOT_IMPORTED:
        raise RowRefused(
            "status_not_imported",
            f"A {status_name!r} booking holds nothing and is not imported.",
        )
    if status_name not in STATUS_MAP:
        raise RowRefused("unknown_status", f"Unknown status {status_name!r}.")
    resources = _list(raw, "resource") + _list(raw, "resources")
    show, event = _int(raw, "show"), _int(raw, "event")
    kinds = [bool(resources), show is not None, event is not None]
    if sum(kinds) != 1:
        raise RowRefused(
            "missing_field", "Give exactly one of resource (time), show or event (tickets)."
        )
    start, end = _time(raw, "start_time"), _time(raw, "end_time")
    duration = _int(raw, "duration")
    if resources:
        if start is None:
            raise RowRefused("missing_field", "start_time is required for a time booking.")
        if end is None and duration is not None:
            end = start + timedelta(minutes=duration)
        if end is None:
            raise RowRefused("missing_field", "end_time or duration is required.")
        if end <= start:
            raise RowRefused("end_before_start", "end_time must be after start_time.")
    return ImportRow(
        number=number,
        external_id=external_id,
        customer=customer,
        status=STATUS_MAP[status_name],
        resources=resources,
        start=start,
        end=end,
        show=show,
        event=event,
        seats=_list(raw, "seats"),
        quantity=_int(raw, "quantity") or 1,
        notes=_text(raw, "notes"),
    )
