"""Rendering a seat map fast: 5,000 seats in a few milliseconds.

What rarely changes (each seat's id, row, number, category, price and flags) is rendered to
JSON fragments once per process and kept, keyed by the show (id and creation time), its
prices and the hall's `layout_version` (bumped by every layout or seat change). Each request
then reads only the live claims (one index scan) and joins the fragments with each seat's
status. Nothing is cached across processes.

On top of that, a process serves a whole map it rendered less than
`EVENTS_SEAT_MAP_MAX_AGE_SECONDS` ago (default 1 s; 0 turns it off) without reading anything:
a popular show's map is read far more often than its seats change, and a booking re-checks
its seats under the show's lock whatever the map showed (`seat_taken`).
"""

from __future__ import annotations

import json
import threading
from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime, timedelta

from .. import conf
from ..models import Show
from ..selectors.seatmap import seat_claims, seat_layout
from ..selectors.shows import show_get

_MAX_SHOWS = 32


@dataclass(frozen=True, slots=True)
class _Layout:
    """A hall's seats at one show, rendered once: each seat's JSON up to its status."""

    index: dict[int, int]  # seat id -> position
    heads: list[str]  # '{"id":1,...,"status":"'
    blocked: list[bool]
    base: list[str]  # each seat finished as if unclaimed: available or blocked
    counts: dict[str, int]


_cache: OrderedDict[tuple[object, ...], _Layout] = OrderedDict()
# show id -> (rendered at, the whole map): the maps served again within the max age.
_recent: OrderedDict[int, tuple[datetime, bytes]] = OrderedDict()
_MAX_RECENT = 16
_lock = threading.Lock()


def _key(show: Show) -> tuple[object, ...]:
    prices = tuple(sorted((p.category, str(p.amount)) for p in show.prices.all()))
    version = show.hall.layout_version if show.hall is not None else 0
    return (show.pk, show.created_at, show.hall_id, version, str(show.price), prices)


def _render_layout(show: Show) -> _Layout:
    ids: list[int] = []
    heads: list[str] = []
    blocked: list[bool] = []
    for seat in seat_layout(show=show):
        ids.append(seat.id)
        heads.append(
            f'{{"id":{seat.id},"row":{json.dumps(seat.row)},"number":{seat.number},'
            f'"category":{json.dumps(seat.category)},"price":"{seat.price:.2f}",'
            f'"accessible":{"true" if seat.accessible else "false"},"status":"'
        )
        blocked.append(seat.blocked)
    base = [
        f'{head}{"blocked" if b else "available"}"}}'
        for head, b in zip(heads, blocked, strict=True)
    ]
    counts = {
        "available": blocked.count(False),
        "held": 0,
        "booked": 0,
        "blocked": blocked.count(True),
    }
    return _Layout({seat_id: i for i, seat_id in enumerate(ids)}, heads, blocked, base, counts)


def _layout(show: Show) -> _Layout:
    key = _key(show)
    with _lock:
        found = _cache.get(key)
        if found is not None:
            _cache.move_to_end(key)
            return found
    rendered = _render_layout(show)
    with _lock:
        _cache[key] = rendered
        while len(_cache) > _MAX_SHOWS:
            _cache.popitem(last=False)
    return rendered


def seat_map(*, show_id: int, now: datetime) -> bytes:
    """The JSON of `SeatMapOutput` for this show, rendered at most the max age before `now`
    (`NotFound` for no such show)."""
    max_age = timedelta(seconds=conf.seat_map_max_age())
    if max_age:
        with _lock:
            found = _recent.get(show_id)
        if found is not None and timedelta(0) <= now - found[0] < max_age:
            return found[1]
    body = render_seat_map(show=show_get(show_id=show_id), now=now)
    if max_age:
        with _lock:
            _recent[show_id] = (now, body)
            _recent.move_to_end(show_id)
            while len(_recent) > _MAX_RECENT:
                _recent.popitem(last=False)
    return body


def render_seat_map(*, show: Show, now: datetime) -> bytes:
    """The JSON of `SeatMapOutput` for this show as of `now`."""
    if show.hall_id is None:
        parts: list[str] = []
        counts = {"available": 0, "held": 0, "booked": 0, "blocked": 0}
    else:
        layout = _layout(show)
        parts = layout.base.copy()
        counts = dict(layout.counts)
        for seat_id, booked in seat_claims(show=show, now=now):
            i = layout.index.get(seat_id)
            if i is None:  # a seat removed from the layout since: not on the map
                continue
            status = "booked" if booked else "held"
            counts["blocked" if layout.blocked[i] else "available"] -= 1
            counts[status] += 1
            parts[i] = f'{layout.heads[i]}{status}"}}'
    head = json.dumps(
        {
            "show": show.pk,
            "hall": show.hall_id,
            "seating": show.seating,
            "currency": show.currency,
            "counts": counts,
        },
        separators=(",", ":"),
    )
    return f'{head[:-1]},"seats":[{",".join(parts)}]}}'.encode()


def clear_cache() -> None:
    with _lock:
        _cache.clear()
        _recent.clear()
