"""Seat layouts, written the way people describe a hall: pure functions, no ORM.

A layout is a list of blocks plus two lists of seat labels::

    {
      "blocks": [
        {"rows": "A-J", "numbers": "1-20", "category": "standard", "gaps": [10, 11]},
        {"rows": ["K", "L"], "numbers": "1-16", "category": "premium"}
      ],
      "accessible": ["L1", "L2"],
      "blocked": ["A1"]
    }

- `rows`: one label ("A"), a range ("A-N", "AA-AD", "1-12") or a list of labels. Letter ranges
  count like spreadsheet columns (Z, AA, AB, ...).
- `numbers`: a range ("1-20"), one number, or a list of numbers. `gaps` are numbers skipped in
  every row of the block (an aisle).
- A seat label is the row followed by the number ("N12"); when the row itself ends in a digit,
  put a dash between them ("3-12").
- Rows keep the order in which the blocks first name them (`row_position`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

ROW_LABEL = re.compile(r"^[A-Za-z0-9]{1,8}$")
MAX_NUMBER = 9999
MAX_ROWS_IN_RANGE = 1000
_LETTERS = re.compile(r"^[A-Z]{1,3}$")
_LABEL = re.compile(r"^(?P<row>.*\D)(?P<number>\d+)$")


class LayoutError(ValueError):
    """A layout that cannot be built: `code` is stable, `field` is the dotted path of the input."""

    def __init__(self, message: str, *, code: str, field: str) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.field = field


@dataclass(frozen=True, slots=True)
class SeatSpec:
    row: str
    number: int
    row_position: int
    category: str
    accessible: bool = False
    blocked: bool = False

    @property
    def key(self) -> tuple[str, int]:
        return (self.row, self.number)


def _letters_to_int(label: str) -> int:
    value = 0
    for char in label:
        value = value * 26 + (ord(char) - ord("A") + 1)
    return value


def _int_to_letters(value: int) -> str:
    out = ""
    while value:
        value, rest = divmod(value - 1, 26)
        out = chr(ord("A") + rest) + out
    return out


def expand_rows(spec: str | Sequence[str], field: str) -> list[str]:
    """`"A-C"` -> `["A", "B", "C"]`; a list is checked and kept as given."""
    if not isinstance(spec, str):
        rows = [str(label) for label in spec]
        if not rows:
            raise LayoutError("Name at least one row.", code="empty", field=field)
        for label in rows:
            _check_row(label, field)
        return rows
    text = spec.strip()
    if "-" not in text:
        _check_row(text, field)
        return [text]
    first, _, last = (part.strip() for part in text.partition("-"))
    if first.isdigit() and last.isdigit():
        start, stop = int(first), int(last)
        labels_from: Any = str
    elif (
        _LETTERS.match(first.upper())
        and _LETTERS.match(last.upper())
        and first.isupper() == last.isupper()
    ):
        start, stop = _letters_to_int(first.upper()), _letters_to_int(last.upper())
        lower = first.islower()
        labels_from = (lambda n: _int_to_letters(n).lower()) if lower else _int_to_letters
    else:
        raise LayoutError(
            f"{text!r} is not a row range: use letters (A-N) or numbers (1-12).",
            code="invalid_range",
            field=field,
        )
    if stop < start:
        raise LayoutError(f"The range {text!r} runs backwards.", code="invalid_range", field=field)
    if stop - start + 1 > MAX_ROWS_IN_RANGE:
        raise LayoutError(
            f"The range {text!r} has more than {MAX_ROWS_IN_RANGE} rows.",
            code="too_many_rows",
            field=field,
        )
    rows = [labels_from(n) for n in range(start, stop + 1)]
    for label in rows:
        _check_row(label, field)
    return rows


def _check_row(label: str, field: str) -> None:
    if not ROW_LABEL.match(label):
        raise LayoutError(
            f"{label!r} is not a row label (1 to 8 letters or digits).",
            code="invalid_row",
            field=field,
        )


def expand_numbers(spec: str | int | Sequence[int], field: str) -> list[int]:
    """`"1-20"`, `7` or `[1, 2, 5]` -> the seat numbers, each in 1..9999."""
    if isinstance(spec, bool):
        raise LayoutError("Give numbers as a range or a list.", code="invalid", field=field)
    if isinstance(spec, int):
        numbers = [spec]
    elif isinstance(spec, str):
        first, sep, last = (part.strip() for part in spec.partition("-"))
        if not first.isdigit() or (sep and not last.isdigit()):
            raise LayoutError(
                f"{spec!r} is not a number range such as 1-20.", code="invalid_range", field=field
            )
        start, stop = int(first), int(last) if sep else int(first)
        if stop < start:
            raise LayoutError(
                f"The range {spec!r} runs backwards.", code="invalid_range", field=field
            )
        if stop > MAX_NUMBER:
            raise LayoutError(
                f"Seat numbers go up to {MAX_NUMBER}.", code="number_out_of_range", field=field
            )
        numbers = list(range(start, stop + 1))
    else:
        numbers = list(spec)
    if not numbers:
        raise LayoutError("Name at least one seat number.", code="empty", field=field)
    for number in numbers:
        if isinstance(number, bool) or not isinstance(number, int) or not 1 <= number <= MAX_NUMBER:
            raise LayoutError(
                f"Seat numbers are whole numbers from 1 to {MAX_NUMBER}.",
                code="number_out_of_range",
                field=field,
            )
    return numbers


def parse_label(label: str, field: str) -> tuple[str, int]:
    """`"N12"` -> `("N", 12)`; `"3-12"` -> `("3", 12)`."""
    text = str(label).strip()
    if "-" in text:
        row, _, number = text.rpartition("-")
    else:
        match = _LABEL.match(text)
        if match is None:
            raise LayoutError(
                f"{text!r} is not a seat label such as N12 (or 3-12 for a numbered row).",
                code="invalid_label",
                field=field,
            )
        row, number = match["row"], match["number"]
    if not number.isdigit() or not ROW_LABEL.match(row):
        raise LayoutError(
            f"{text!r} is not a seat label such as N12.", code="invalid_label", field=field
        )
    return row, int(number)


def build_layout(
    blocks: Sequence[dict[str, Any]],
    *,
    accessible: Iterable[str] = (),
    blocked: Iterable[str] = (),
    default_category: str = "standard",
    max_seats: int = 10_000,
) -> list[SeatSpec]:
    """Every seat of a layout, in layout order. Raises `LayoutError` on the first problem."""
    if not blocks:
        raise LayoutError("A layout has at least one block of seats.", code="empty", field="blocks")
    row_positions: dict[str, int] = {}
    seats: dict[tuple[str, int], SeatSpec] = {}
    for index, block in enumerate(blocks):
        where = f"blocks.{index}"
        rows = expand_rows(block["rows"], f"{where}.rows")
        numbers = expand_numbers(block["numbers"], f"{where}.numbers")
        gaps = set(block.get("gaps") or ())
        category = block.get("category") or default_category
        kept = [n for n in numbers if n not in gaps]
        if len(seats) + len(rows) * len(kept) > max_seats:
            raise LayoutError(
                f"A hall has at most {max_seats} seats.", code="too_many_seats", field=where
            )
        for row in rows:
            position = row_positions.setdefault(row, len(row_positions))
            for number in kept:
                if (row, number) in seats:
                    raise LayoutError(
                        f"Seat {row}{number} is in the layout twice.",
                        code="duplicate_seat",
                        field=where,
                    )
                seats[(row, number)] = SeatSpec(row, number, position, category)
    for flag, labels in (("accessible", accessible), ("blocked", blocked)):
        for i, label in enumerate(labels):
            key = parse_label(label, f"{flag}.{i}")
            if key not in seats:
                raise LayoutError(
                    f"Seat {label} is not in the layout.", code="unknown_seat", field=f"{flag}.{i}"
                )
            spec = seats[key]
            seats[key] = SeatSpec(
                spec.row,
                spec.number,
                spec.row_position,
                spec.category,
                accessible=spec.accessible or flag == "accessible",
                blocked=spec.blocked or flag == "blocked",
            )
    if not seats:
        raise LayoutError("This layout has no seats.", code="empty", field="blocks")
    return list(seats.values())
