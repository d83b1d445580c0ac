"""The raw floor of the flash-sale benchmark: the same claims as the ticket services (lock,
count or check, booking + ticket + seat claims + history, commit) in plain SQL with psycopg;
no HTTP, no Django. Used by `events_flash_sale.py`."""

from __future__ import annotations

import threading
import time
from typing import Any

from events_support import rng

_BOOKING_SQL = """
INSERT INTO bookings_booking (reference, kind, status, customer_id, starts_at, ends_at, notes,
    price, currency, cancel_reason, created_at, updated_at)
SELECT substr(md5(random()::text), 1, 12), %s, 'confirmed', %s, s.starts_at, s.ends_at, '',
    s.price * %s, s.currency, '', now(), now()
FROM events_show s WHERE s.id = %s RETURNING id
"""


def raw_sql_floor(
    database_url: str, fixtures: dict[str, Any], connections: int
) -> tuple[float, float]:
    """Claims per second of the same transactions as the services (lock, count or check,
    insert booking, ticket, seat claims and history), in plain SQL over `connections`."""
    import psycopg

    def write(conn: Any, user_id: int, show_id: int, kind: str, n: int, seats: list[int]) -> None:
        (booking_id,) = conn.execute(_BOOKING_SQL, [kind, user_id, n, show_id]).fetchone()
        conn.execute(
            "INSERT INTO events_ticketbooking (booking_id, show_id, quantity, is_live)"
            " VALUES (%s, %s, %s, true)",
            [booking_id, show_id, n],
        )
        for seat in sorted(seats):
            conn.execute(
                "INSERT INTO events_seatclaim (show_id, seat_id, booking_id, price, is_live)"
                " VALUES (%s, %s, %s, 12, true)",
                [show_id, seat, booking_id],
            )
        conn.execute(
            "INSERT INTO bookings_bookingstatuschange"
            " (booking_id, from_status, to_status, reason, at)"
            " VALUES (%s, '', 'confirmed', '', now())",
            [booking_id],
        )

    def sell_place(conn: Any, user_id: int, show_id: int) -> bool:
        with conn.transaction():
            (capacity,) = conn.execute(
                "SELECT capacity FROM events_show WHERE id = %s FOR NO KEY UPDATE", [show_id]
            ).fetchone()
            (taken,) = conn.execute(
                "SELECT (SELECT COALESCE(SUM(quantity), 0) FROM events_ticketbooking"
                " WHERE show_id = %s AND is_live) + (SELECT COALESCE(SUM(quantity), 0)"
                " FROM events_hold WHERE show_id = %s AND state = 'active'"
                " AND expires_at > now())",
                [show_id, show_id],
            ).fetchone()
            if taken + 1 > capacity:
                return False
            write(conn, user_id, show_id, "admission", 1, [])
        return True

    def sell_seats(conn: Any, user_id: int, show_id: int, wanted: list[int]) -> list[int]:
        """[] when sold, else the seats that were taken."""
        try:
            with conn.transaction():
                conn.execute("SELECT id FROM events_show WHERE id = %s FOR KEY SHARE", [show_id])
                conn.execute(
                    "DELETE FROM events_seatclaim WHERE show_id = %s AND seat_id = ANY(%s)"
                    " AND hold_id IS NOT NULL AND expires_at <= now()",
                    [show_id, wanted],
                )
                taken = [
                    row[0]
                    for row in conn.execute(
                        "SELECT seat_id FROM events_seatclaim WHERE show_id = %s"
                        " AND seat_id = ANY(%s) AND is_live",
                        [show_id, wanted],
                    )
                ]
                if taken:
                    return taken
                write(conn, user_id, show_id, "seating", len(wanted), wanted)
        except psycopg.errors.UniqueViolation:
            return wanted
        return []

    def race(work: Any) -> float:
        stop = threading.Event()
        counts = [0] * connections
        barrier = threading.Barrier(connections + 1)

        def loop(i: int) -> None:
            with psycopg.connect(database_url, autocommit=True) as conn:
                barrier.wait()
                while not stop.is_set():
                    done = work(conn, i)
                    if done is None:
                        stop.set()
                    else:
                        counts[i] += done

        threads = [threading.Thread(target=loop, args=(i,)) for i in range(connections)]
        for t in threads:
            t.start()
        barrier.wait()
        started = time.perf_counter()
        for t in threads:
            t.join(120)
        return sum(counts) / (time.perf_counter() - started)

    users = fixtures["user_ids"]
    ga_show = fixtures["ga_sql"]

    def place(conn: Any, i: int) -> int | None:
        return 1 if sell_place(conn, users[i % len(users)], ga_show) else None

    seat_show, seat_ids = fixtures["seated_sql"]
    free = set(seat_ids)
    lock = threading.Lock()
    pick = rng(2)

    def seat(conn: Any, i: int) -> int | None:
        with lock:
            if not free:
                return None
            wanted = pick.sample(sorted(free), min(len(free), pick.choice([1, 2])))
        taken = sell_seats(conn, users[i % len(users)], seat_show, wanted)
        with lock:
            free.difference_update(taken or wanted)
        return 0 if taken else len(wanted)

    return race(place), race(seat)
