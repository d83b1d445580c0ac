"""The pure layout builder: ranges, gaps, labels, and what it refuses."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tessera.events.domain.layout import (
    LayoutError,
    build_layout,
    expand_numbers,
    expand_rows,
    parse_label,
)


def test_rows_a_to_n_by_1_to_20_with_an_aisle():
    seats = build_layout([{"rows": "A-N", "numbers": "1-20", "gaps": [10, 11]}])

    assert len(seats) == 14 * 18
    assert (seats[0].row, seats[0].number, seats[0].row_position) == ("A", 1, 0)
    assert (seats[-1].row, seats[-1].number, seats[-1].row_position) == ("N", 20, 13)
    assert not any(s.number in (10, 11) for s in seats)
    assert {s.category for s in seats} == {"standard"}


def test_blocks_categories_and_flags():
    seats = build_layout(
        [
            {"rows": ["A", "B"], "numbers": [1, 2, 3], "category": "front"},
            {"rows": "C", "numbers": 7, "category": "vip"},
        ],
        accessible=["C7"],
        blocked=["A1", "A-2"],
    )

    by_label = {f"{s.row}{s.number}": s for s in seats}
    assert by_label["C7"].category == "vip"
    assert by_label["C7"].accessible
    assert by_label["A1"].blocked
    assert by_label["A2"].blocked
    assert not by_label["B3"].blocked
    assert [s.row_position for s in seats if s.row == "C"] == [2]


def test_letter_ranges_count_like_spreadsheet_columns():
    assert expand_rows("Y-AB", "rows") == ["Y", "Z", "AA", "AB"]
    assert expand_rows("1-3", "rows") == ["1", "2", "3"]
    assert expand_rows("a-c", "rows") == ["a", "b", "c"]


def test_numbered_rows_use_a_dash_in_labels():
    assert parse_label("12-3", "x") == ("12", 3)
    assert parse_label("AA12", "x") == ("AA", 12)


@pytest.mark.parametrize(
    ("blocks", "kwargs", "code", "field"),
    [
        ([], {}, "empty", "blocks"),
        ([{"rows": "C-A", "numbers": "1-2"}], {}, "invalid_range", "blocks.0.rows"),
        ([{"rows": "A-9", "numbers": "1-2"}], {}, "invalid_range", "blocks.0.rows"),
        ([{"rows": "A", "numbers": "5-1"}], {}, "invalid_range", "blocks.0.numbers"),
        ([{"rows": "A", "numbers": "0-3"}], {}, "number_out_of_range", "blocks.0.numbers"),
        ([{"rows": "A", "numbers": "1-99999"}], {}, "number_out_of_range", "blocks.0.numbers"),
        ([{"rows": "A", "numbers": "x"}], {}, "invalid_range", "blocks.0.numbers"),
        ([{"rows": ["A B"], "numbers": "1"}], {}, "invalid_row", "blocks.0.rows"),
        (
            [{"rows": "A", "numbers": "1-3"}, {"rows": "A", "numbers": "3"}],
            {},
            "duplicate_seat",
            "blocks.1",
        ),
        ([{"rows": "A", "numbers": "1-3"}], {"blocked": ["B1"]}, "unknown_seat", "blocked.0"),
        (
            [{"rows": "A", "numbers": "1-3"}],
            {"accessible": ["???"]},
            "invalid_label",
            "accessible.0",
        ),
        ([{"rows": "A", "numbers": "1-3", "gaps": [1, 2, 3]}], {}, "empty", "blocks"),
        ([{"rows": "A-Z", "numbers": "1-100"}], {"max_seats": 100}, "too_many_seats", "blocks.0"),
        ([{"rows": "A-ZZZ", "numbers": "1"}], {}, "too_many_rows", "blocks.0.rows"),
    ],
)
def test_what_a_layout_refuses(blocks, kwargs, code, field):
    with pytest.raises(LayoutError) as caught:
        build_layout(blocks, **kwargs)
    assert (caught.value.code, caught.value.field) == (code, field)


@given(
    rows=st.integers(min_value=1, max_value=40),
    first=st.integers(min_value=1, max_value=50),
    width=st.integers(min_value=1, max_value=60),
    gaps=st.sets(st.integers(min_value=1, max_value=120), max_size=10),
)
def test_every_seat_is_unique_and_counted(rows, first, width, gaps):
    last = first + width - 1
    kept = [n for n in range(first, last + 1) if n not in gaps]
    labels = expand_rows(f"A-{_col(rows)}", "rows")
    assume_seats = len(kept) * len(labels)
    if assume_seats == 0:
        with pytest.raises(LayoutError):
            build_layout([{"rows": labels, "numbers": f"{first}-{last}", "gaps": sorted(gaps)}])
        return
    seats = build_layout([{"rows": labels, "numbers": f"{first}-{last}", "gaps": sorted(gaps)}])
    assert len(seats) == assume_seats
    assert len({s.key for s in seats}) == len(seats)
    assert all(first <= s.number <= last and s.number not in gaps for s in seats)
    assert sorted({s.row_position for s in seats}) == list(range(len(labels)))
    assert expand_numbers(f"{first}-{last}", "n") == list(range(first, last + 1))


def _col(n: int) -> str:
    out = ""
    while n:
        n, rest = divmod(n - 1, 26)
        out = chr(65 + rest) + out
    return out
