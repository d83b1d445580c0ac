"""Best available seats: which seats a request for a quantity gets (pure: no database).

Used when a customer asks for N seats of a reserved-seating show without choosing them (a
waiting-list promotion, or `waitlist: true` while seats are free). The rule, in order:

1. **Together**: N adjacent free seats in one row. Adjacent means consecutive in the row's
   seat order (by number) with no taken, blocked or other-category seat between. The front-most
   row (layout order) that has such a run wins; in that row, the run whose middle is closest to
   the middle of the row.
2. **Same category** (only when no category was asked): N free seats of one category (price
   tier: the closest thing the model has to a section), taken in layout order (row by row,
   by number), trying categories in the order they first appear from the front.
3. **Any**: the first N free seats in layout order (of the asked category, if any).

Fewer than N free seats (of the category): None.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import groupby


@dataclass(frozen=True)
class SeatSpot:
    """What the rule needs of a seat."""

    id: int
    row_position: int
    row: str
    number: int
    category: str
    free: bool  # not blocked, not held, not booked


def seats_best_available(
    seats: Sequence[SeatSpot], *, quantity: int, category: str = ""
) -> list[int] | None:
    """The ids of the seats to give (layout order), or None if too few are free."""
    if quantity < 1:
        return None
    ordered = sorted(seats, key=lambda s: (s.row_position, s.row, s.number))
    wanted = [s for s in ordered if s.free and (not category or s.category == category)]
    if len(wanted) < quantity:
        return None
    together = _adjacent_in_one_row(ordered, quantity=quantity, category=category)
    if together is not None:
        return together
    if not category:
        for name in dict.fromkeys(s.category for s in wanted):
            same = [s.id for s in wanted if s.category == name]
            if len(same) >= quantity:
                return same[:quantity]
    return [s.id for s in wanted[:quantity]]


def _adjacent_in_one_row(
    ordered: Sequence[SeatSpot], *, quantity: int, category: str
) -> list[int] | None:
    for _, row_seats in groupby(ordered, key=lambda s: (s.row_position, s.row)):
        row = list(row_seats)
        middle = (len(row) - 1) / 2
        best: tuple[float, int] | None = None  # (distance of the run's middle, its start)
        for start in range(len(row) - quantity + 1):
            run = row[start : start + quantity]
            if not all(s.free and (not category or s.category == category) for s in run):
                continue
            if not category and len({s.category for s in run}) > 1:
                continue  # one run, one price tier
            distance = abs(start + (quantity - 1) / 2 - middle)
            if best is None or distance < best[0]:
                best = (distance, start)
        if best is not None:
            return [s.id for s in row[best[1] : best[1] + quantity]]
    return None
