"""The best-available rule (pure): together in one row first, then one category, then any."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from tessera.events.domain.best_available import SeatSpot, seats_best_available


def hall(plan: str, categories: str | None = None) -> list[SeatSpot]:
    """Rows separated by "/": "." free, "x" taken; ids are row * 100 + number. `categories`:
    one letter per seat in the same shape (default all "s")."""
    spots = []
    cats = (categories or plan.replace(".", "s").replace("x", "s")).split("/")
    for r, (row, cat_row) in enumerate(zip(plan.split("/"), cats, strict=True)):
        for n, (mark, cat) in enumerate(zip(row, cat_row, strict=True), start=1):
            spots.append(
                SeatSpot(
                    id=(r + 1) * 100 + n,
                    row_position=r,
                    row=chr(ord("A") + r),
                    number=n,
                    category=cat,
                    free=mark == ".",
                )
            )
    return spots


def test_together_in_the_front_most_row_that_has_room():
    assert seats_best_available(hall("x.x.x/...../....."), quantity=2) == [202, 203]


def test_in_that_row_the_run_closest_to_the_middle():
    assert seats_best_available(hall("......."), quantity=3) == [103, 104, 105]
    assert seats_best_available(hall("..xx..."), quantity=2) == [105, 106]


def test_a_taken_seat_breaks_a_run():
    assert seats_best_available(hall(".x./.x./..x"), quantity=2) == [301, 302]


def test_then_one_category_then_any():
    # No run of three anywhere: three of one category, the front one's first.
    assert seats_best_available(hall(".x.x./x.x.x", "ppppp/sssss"), quantity=3) == [
        101,
        103,
        105,
    ]
    assert seats_best_available(hall("..x../..x..", "ppppp/sssss"), quantity=3) == [
        101,
        102,
        104,
    ]
    # Too few of any one category: any free seats, front first.
    assert seats_best_available(hall(".x.xx/x.xxx", "ppppp/sssss"), quantity=3) == [
        101,
        103,
        202,
    ]


def test_a_run_that_mixes_categories_is_not_together():
    assert seats_best_available(hall("...../.....", "ppsss/ppppp"), quantity=3) == [
        103,
        104,
        105,
    ]


def test_a_category_asked_for_limits_every_step():
    spots = hall("..../....", "pppp/ssss")
    assert seats_best_available(spots, quantity=2, category="s") == [202, 203]
    assert seats_best_available(spots, quantity=5, category="s") is None
    assert seats_best_available(spots, quantity=2, category="vip") is None


def test_too_few_free_seats_is_none():
    assert seats_best_available(hall("x.x/xxx"), quantity=3) is None
    assert seats_best_available(hall("..."), quantity=0) is None


@st.composite
def halls(draw: st.DrawFn) -> tuple[list[SeatSpot], int, str]:
    rows = draw(st.integers(1, 6))
    width = draw(st.integers(1, 12))
    spots = [
        SeatSpot(
            id=r * 100 + n,
            row_position=r,
            row=str(r),
            number=n,
            category=draw(st.sampled_from("ab")),
            free=draw(st.booleans()),
        )
        for r in range(rows)
        for n in range(1, width + 1)
    ]
    return spots, draw(st.integers(1, 8)), draw(st.sampled_from(["", "a", "b"]))


@given(halls())
def test_properties(case: tuple[list[SeatSpot], int, str]):
    spots, quantity, category = case
    by_id = {s.id: s for s in spots}
    wanted = [s for s in spots if s.free and (not category or s.category == category)]
    chosen = seats_best_available(spots, quantity=quantity, category=category)
    if len(wanted) < quantity:
        assert chosen is None
        return
    assert chosen is not None
    assert len(chosen) == len(set(chosen)) == quantity
    assert all(by_id[i].free for i in chosen)
    if category:
        assert {by_id[i].category for i in chosen} == {category}
    # When some row has `quantity` adjacent free seats of one category (the asked one), the
    # result is such a run.
    rows: dict[int, list[SeatSpot]] = {}
    for s in spots:
        rows.setdefault(s.row_position, []).append(s)
    has_run = any(
        all(s.free and (not category or s.category == category) for s in row[i : i + quantity])
        and len({s.category for s in row[i : i + quantity]}) == 1
        for row in rows.values()
        for i in range(len(row) - quantity + 1)
    )
    if has_run:
        picked = [by_id[i] for i in chosen]
        assert len({s.row_position for s in picked}) == 1
        numbers = sorted(s.number for s in picked)
        assert numbers == list(range(numbers[0], numbers[0] + quantity))
