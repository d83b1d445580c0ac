"""Half-open intervals [start, end) of integer seconds (UTC epoch): merge, subtract, intersect.

Seconds rather than datetimes keep the month-long slot computations cheap; every list here is
sorted by start and its intervals do not overlap unless a docstring says otherwise.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable

Interval = tuple[int, int]


def merge(intervals: Iterable[Interval]) -> list[Interval]:
    """Sorted, disjoint union; touching intervals join ([9,12) + [12,17) = [9,17))."""
    out: list[Interval] = []
    for start, end in sorted(i for i in intervals if i[1] > i[0]):
        if out and start <= out[-1][1]:
            if end > out[-1][1]:
                out[-1] = (out[-1][0], end)
        else:
            out.append((start, end))
    return out


def subtract(base: list[Interval], cuts: list[Interval]) -> list[Interval]:
    """`base` minus `cuts` (both sorted and disjoint)."""
    out: list[Interval] = []
    j = 0
    for start, end in base:
        while j < len(cuts) and cuts[j][1] <= start:
            j += 1
        k = j
        cursor = start
        while k < len(cuts) and cuts[k][0] < end:
            if cuts[k][0] > cursor:
                out.append((cursor, cuts[k][0]))
            cursor = max(cursor, cuts[k][1])
            k += 1
        if cursor < end:
            out.append((cursor, end))
    return out


def intersect(a: list[Interval], b: list[Interval]) -> list[Interval]:
    """The times in both `a` and `b` (both sorted and disjoint)."""
    out: list[Interval] = []
    i = j = 0
    while i < len(a) and j < len(b):
        start = max(a[i][0], b[j][0])
        end = min(a[i][1], b[j][1])
        if start < end:
            out.append((start, end))
        if a[i][1] < b[j][1]:
            i += 1
        else:
            j += 1
    return out


def covers(intervals: list[Interval], start: int, end: int) -> bool:
    """Whether [start, end) lies inside one interval of the sorted, disjoint list."""
    index = bisect_right(intervals, (start, end)) - 1
    for i in (index, index + 1):
        if 0 <= i < len(intervals) and intervals[i][0] <= start and end <= intervals[i][1]:
            return True
    return False


class Occupancy:
    """How many busy ranges overlap each instant: a step function built once, queried often.

    The busy ranges may overlap each other (that is the point); each carries a count.
    """

    def __init__(self, busy: Iterable[tuple[int, int, int]]) -> None:
        deltas: dict[int, int] = {}
        for start, end, count in busy:
            if end > start and count:
                deltas[start] = deltas.get(start, 0) + count
                deltas[end] = deltas.get(end, 0) - count
        self.times: list[int] = sorted(deltas)
        self.levels: list[int] = []  # level on [times[i], times[i + 1])
        level = 0
        for t in self.times:
            level += deltas[t]
            self.levels.append(level)

    def peak(self, start: int, end: int) -> int:
        """The most busy ranges overlapping at any instant of [start, end)."""
        if not self.times or end <= start:
            return 0
        times, levels = self.times, self.levels
        first = bisect_right(times, start) - 1
        last = bisect_left(times, end, max(first, 0))
        if first + 1 >= last:  # no change of level inside: the level at `start` holds
            return levels[first] if first >= 0 else 0
        return max(levels[max(first, 0) : last])
