"""Flash-sale benchmark of ticket bookings (issue 4).

Run: `.venv/bin/python bench/events_flash_sale.py` (needs PostgreSQL; see bench/README.md).

Starts its own gunicorn on 127.0.0.1 against a throwaway PostgreSQL database, then runs, one
line each:

1. the floors: a trivial endpoint of the same server (`/healthz`, and `/api/users/me/` which
   also authenticates and reads a row), and the same claims made by plain SQL (no HTTP, no
   Django) over as many connections as the server has workers;
2. a general-admission flash sale: 1,000 places, 100 clients booking 1 place per request
   through `POST /api/bookings/` until sold out;
3. a reserved-seating flash sale: 1,000 seats, 100 clients booking 1-2 random free seats per
   request (conflicts included) until every seat is sold;
4. the seat map of a 5,000-seat hall (half of it sold), read by 100 clients (each process
   serves a map it rendered up to EVENTS_SEAT_MAP_MAX_AGE_SECONDS ago, default 1; run with
   EVENTS_SEAT_MAP_MAX_AGE_SECONDS=0 for a map rendered on every read).

Every run is bounded in requests and time. Oversold counts come from the database afterwards.
Options: --workers, --threads (gthread workers), --clients, --seconds.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import threading
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from events_raw_floor import raw_sql_floor
from events_support import (
    Client,
    Run,
    drive,
    gunicorn,
    migrate,
    rng,
    say,
    server_env,
    throwaway_database,
)


def setup_django(env: dict[str, str]) -> None:
    os.environ.update(env)
    import django

    django.setup()


def seed(clients: int, places: int, seats: int, map_seats: int) -> dict[str, Any]:
    """Users with tokens, and the shows of the scenarios (through the services)."""
    from datetime import timedelta
    from decimal import Decimal

    from django.db import connection
    from rest_framework_simplejwt.tokens import AccessToken

    from tessera.accounts.models import User
    from tessera.accounts.roles import Role
    from tessera.accounts.services import user_role_grant
    from tessera.core.clock import utcnow
    from tessera.events.domain.layout import build_layout
    from tessera.events.services.shows import event_create, show_create
    from tessera.events.services.venues import hall_create, venue_create

    staff = User.objects.create_superuser("bench-admin", "a@bench.local", "x-" * 10)
    organizer = User.objects.create_user("bench-organizer", "o@bench.local", "x-" * 10)
    user_role_grant(user=organizer, role=Role.ORGANIZER, actor=staff)
    users = [
        User.objects.create_user(f"buyer{i}", f"b{i}@bench.local", "x-" * 10)
        for i in range(clients)
    ]
    venue = venue_create(actor=organizer, name="Arena", capacity=100_000, timezone="UTC")
    event = event_create(actor=organizer, title="Flash", duration_minutes=120)
    start = utcnow() + timedelta(days=7)

    def ga(offset: int, capacity: int) -> int:
        return show_create(
            event=event,
            venue=venue,
            actor=organizer,
            starts_at=start + timedelta(hours=offset),
            capacity=capacity,
            price=Decimal("25.00"),
        ).pk

    def seated(offset: int, rows: str, numbers: str, name: str) -> tuple[int, list[int]]:
        hall = hall_create(
            venue=venue,
            actor=organizer,
            name=name,
            seats=build_layout([{"rows": rows, "numbers": numbers}]),
        )
        show = show_create(
            event=event,
            venue=venue,
            hall=hall,
            actor=organizer,
            starts_at=start + timedelta(hours=offset),
            price=Decimal("12.00"),
        )
        return show.pk, list(hall.seats.order_by("pk").values_list("pk", flat=True))

    width = 25
    rows_for = f"A-{_letters(max(1, seats // width))}"
    fixtures = {
        "tokens": [str(AccessToken.for_user(u)) for u in users],
        "warm_ga": ga(0, 10_000),
        "ga": ga(10, places),
        "ga_sql": ga(20, places),
        "seated": seated(30, rows_for, f"1-{width}", "Seats"),
        "seated_sql": seated(40, rows_for, f"1-{width}", "Seats SQL"),
        "map": seated(50, f"A-{_letters(map_seats // 100)}", "1-100", "Big hall"),
        "inproc_seated": seated(60, "A-T", "1-100", "In-process hall"),
        "user_ids": [u.pk for u in users],
    }
    _sell_half(fixtures["map"][0], fixtures["map"][1], users[0].pk)
    connection.close()
    return fixtures


def _letters(n: int) -> str:
    out = ""
    while n:
        n, rest = divmod(n - 1, 26)
        out = chr(65 + rest) + out
    return out


def _sell_half(show_id: int, seat_ids: list[int], customer_id: int) -> None:
    """Every other seat of the big hall is sold (one booking per 10 seats), for a real map."""
    from tessera.bookings.models import Booking, BookingKind
    from tessera.events.models import SeatClaim, Show, TicketBooking

    show = Show.objects.get(pk=show_id)
    sold = seat_ids[::2]
    for start in range(0, len(sold), 10):
        chunk = sold[start : start + 10]
        booking = Booking.objects.create(
            kind=BookingKind.SEATING,
            status="confirmed",
            customer_id=customer_id,
            starts_at=show.starts_at,
            ends_at=show.ends_at,
            price=0,
            currency="EUR",
        )
        TicketBooking.objects.create(booking=booking, show=show, quantity=len(chunk))
        SeatClaim.objects.bulk_create(
            SeatClaim(show=show, seat_id=s, booking=booking, price=0) for s in chunk
        )


# --- the HTTP scenarios --------------------------------------------------------------------------


def timed_get(port: int, path: str, tokens: list[str | None], seconds: float) -> Run:
    clients = [Client(port, t) for t in tokens]
    return drive(
        clients,
        next_request=lambda i, c: ("GET", path, None),
        seconds=seconds,
        max_requests=1_000_000,
    )


def ga_sale(port: int, tokens: list[str], show_id: int, seconds: float) -> Run:
    stop = threading.Event()

    def seen(index: int, status: int, data: bytes) -> None:
        if status == 409 and json.loads(data).get("places_left") == 0:
            stop.set()

    return drive(
        [Client(port, t) for t in tokens],
        next_request=lambda i, c: ("POST", "/api/bookings/", {"show": show_id, "quantity": 1}),
        on_response=seen,
        stop=stop,
        seconds=seconds,
        max_requests=50_000,
    )


def seat_sale(
    port: int, tokens: list[str], show_id: int, seat_ids: list[int], seconds: float
) -> Run:
    free = set(seat_ids)
    lock = threading.Lock()
    stop = threading.Event()
    picks = [rng(100 + i) for i in range(len(tokens))]
    asked: dict[int, list[int]] = {}

    def next_request(index: int, client: Client) -> tuple[str, str, Any] | None:
        with lock:
            if not free:
                stop.set()
                return None
            pool = sorted(free)
        wanted = picks[index].sample(pool, min(len(pool), picks[index].choice([1, 2])))
        asked[index] = wanted
        return ("POST", "/api/bookings/", {"show_id": show_id, "seat_ids": wanted})

    def seen(index: int, status: int, data: bytes) -> None:
        gone = asked[index] if status == 201 else json.loads(data).get("seat_ids", [])
        with lock:
            free.difference_update(gone)
            if not free:
                stop.set()

    return drive(
        [Client(port, t) for t in tokens],
        next_request=next_request,
        on_response=seen,
        stop=stop,
        seconds=seconds,
        max_requests=50_000,
    )


def oversold(show_id: int) -> tuple[int, int, int]:
    """(places or seats sold, oversold places, seats sold twice) from the database."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT COALESCE(SUM(t.quantity), 0), MAX(s.capacity), MAX(s.seating)"
            " FROM events_show s LEFT JOIN events_ticketbooking t"
            " ON t.show_id = s.id AND t.is_live WHERE s.id = %s",
            [show_id],
        )
        sold, capacity, seating = cursor.fetchone()
        cursor.execute(
            "SELECT COUNT(*) FROM (SELECT seat_id FROM events_seatclaim WHERE show_id = %s"
            " AND is_live GROUP BY seat_id HAVING COUNT(*) > 1) d",
            [show_id],
        )
        (twice,) = cursor.fetchone()
        if seating == "reserved":
            cursor.execute(
                "SELECT COUNT(*) FROM events_seat WHERE hall_id = (SELECT hall_id FROM events_show"
                " WHERE id = %s)",
                [show_id],
            )
            (capacity,) = cursor.fetchone()
    connection.close()
    return int(sold), max(0, int(sold) - int(capacity)), int(twice)


def describe(name: str, run: Run) -> str:
    p50, p99 = run.percentile(50), run.percentile(99)
    errors = sum(n for status, n in run.statuses.items() if status >= 500 or status in (400, 401))
    return (
        f"{name}: {run.requests} requests in {run.elapsed:.1f} s = {run.rate():.0f} req/s, "
        f"p50 {p50:.0f} ms, p99 {p99:.0f} ms (p99/p50 {p99 / p50 if p50 else 0:.1f}), "
        f"errors {errors}"
    )


def floors(port: int, tokens: list[str], seconds: float) -> tuple[Run, Run]:
    """The trivial endpoints, measured just before a scenario (the machine is shared: its load
    moves, so each scenario is compared with what the server did a moment earlier)."""
    healthz = timed_get(port, "/healthz", [None] * len(tokens), seconds)
    me = timed_get(port, "/api/users/me/", list(tokens), seconds)
    return healthz, me


def ratios(rate: float, healthz: Run, me: Run) -> str:
    return (
        f"{rate / healthz.rate():.2f}x /healthz ({healthz.rate():.0f} req/s), "
        f"{rate / me.rate():.2f}x /users/me ({me.rate():.0f} req/s)"
    )


def ceiling(healthz: Run, raw_per_second: float) -> str:
    """What a sale costing exactly /healthz plus its raw SQL, and nothing else, would reach on
    these shared cores: the ceiling of any implementation, as a fraction of /healthz."""
    bound = 1 / (1 / healthz.rate() + 1 / raw_per_second)
    return f"HTTP+SQL ceiling {bound:.0f}/s = {bound / healthz.rate():.2f}x /healthz"


def in_process(fixtures: dict[str, Any], rounds: int = 200) -> str:
    """One request at a time through Django's test client (no HTTP, no concurrency): the
    server-side cost of each kind of request, and its SQL statements."""
    from django.db import connection
    from django.test import Client as DjangoClient

    headers = {"HTTP_AUTHORIZATION": f"Bearer {fixtures['tokens'][-1]}", "HTTP_HOST": "127.0.0.1"}
    client = DjangoClient(**headers)
    seats = iter(fixtures["inproc_seated"][1])
    calls = {
        "/healthz": lambda: client.get("/healthz"),
        "/api/users/me/": lambda: client.get("/api/users/me/"),
        "a place": lambda: client.post(
            "/api/bookings/",
            {"show": fixtures["warm_ga"], "quantity": 1},
            content_type="application/json",
        ),
        "a seat": lambda: client.post(
            "/api/bookings/",
            {"show_id": fixtures["inproc_seated"][0], "seat_ids": [next(seats)]},
            content_type="application/json",
        ),
        f"the {len(fixtures['map'][1]):,}-seat map": lambda: client.get(
            f"/api/shows/{fixtures['map'][0]}/seats/"
        ),
    }
    parts = []
    statements = [0]

    def count(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        statements[0] += 1
        return execute(sql, params, many, context)

    for name, call in calls.items():
        call()
        statements[0] = 0
        with connection.execute_wrapper(count):
            assert call().status_code in (200, 201), name
        started = time.perf_counter()
        for _ in range(rounds):
            call()
        cost = (time.perf_counter() - started) / rounds * 1000
        parts.append(f"{name} {cost:.1f} ms ({statements[0]} statements)")
    connection.close()
    return "in-process, one request at a time (statements besides BEGIN/COMMIT): " + ", ".join(
        parts
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--clients", type=int, default=100)
    parser.add_argument("--seconds", type=float, default=8.0, help="the seat-map read")
    parser.add_argument("--floor-seconds", type=float, default=4.0, help="each trivial floor")
    parser.add_argument("--places", type=int, default=1000)
    parser.add_argument("--seats", type=int, default=1000)
    parser.add_argument("--map-seats", type=int, default=5000)
    args = parser.parse_args()

    with throwaway_database() as url:
        env = server_env(url)
        migrate(env)
        setup_django(env)
        fixtures = seed(args.clients, args.places, args.seats, args.map_seats)
        tokens: list[str] = fixtures["tokens"]
        say(
            f"setup: {args.workers} gunicorn workers x {args.threads} thread(s), "
            f"{args.clients} clients, PostgreSQL, {os.cpu_count()} CPUs, "
            f"load average {os.getloadavg()[0]:.1f} at the start"
        )
        sql_places, sql_seats = raw_sql_floor(url, fixtures, args.workers)
        say(
            f"raw SQL floor ({args.workers} connections, no HTTP): "
            f"{sql_places:.0f} place claims/s, {sql_seats:.0f} seat claims/s"
        )
        with gunicorn(env, workers=args.workers, threads=args.threads) as port:
            drive(  # warm-up: every worker connects, imports and authenticates once
                [Client(port, t) for t in tokens],
                next_request=lambda i, c: (
                    "POST",
                    "/api/bookings/",
                    {"show": fixtures["warm_ga"], "quantity": 1},
                ),
                seconds=3,
                max_requests=400,
            )
            healthz, me = floors(port, tokens, args.floor_seconds)
            say(describe("trivial GET /healthz", healthz))
            say(describe("trivial GET /api/users/me/ (JWT, user, groups)", me))

            ga = ga_sale(port, tokens, fixtures["ga"], 120)
            sold, over, _ = oversold(fixtures["ga"])
            say(
                f"{describe(f'flash sale, {args.places} places', ga)}; "
                f"{sold} sold = {sold / ga.elapsed:.0f} bookings/s = "
                f"{ratios(ga.rate(), healthz, me)}, {sold / ga.elapsed / sql_places:.2f}x raw SQL;"
                f" {ceiling(healthz, sql_places)}; oversold {over}; 409s {ga.codes}"
            )

            healthz, me = floors(port, tokens, args.floor_seconds)
            seat_show, seat_ids = fixtures["seated"]
            seats = seat_sale(port, tokens, seat_show, seat_ids, 120)
            sold, over, twice = oversold(seat_show)
            booked = seats.statuses.get(201, 0)
            say(
                f"{describe(f'flash sale, {len(seat_ids)} seats', seats)}; "
                f"{sold} seats in {booked} bookings = {booked / seats.elapsed:.0f} bookings/s; "
                f"{ratios(seats.rate(), healthz, me)}, "
                f"{sold / seats.elapsed / sql_seats:.2f}x raw SQL (seats/s); "
                f"{ceiling(healthz, sql_seats / (sold / max(booked, 1)))}; "
                f"oversold {over}, seats sold twice {twice}; 409s {seats.codes}"
            )

            healthz, me = floors(port, tokens, args.floor_seconds)
            map_show, map_seats = fixtures["map"]
            seat_map = timed_get(
                port, f"/api/shows/{map_show}/seats/", [None] * args.clients, args.seconds
            )
            say(
                f"{describe(f'seat map, {len(map_seats)} seats (half sold)', seat_map)}; "
                f"max age {os.environ.get('EVENTS_SEAT_MAP_MAX_AGE_SECONDS', '1')} s; "
                f"{ratios(seat_map.rate(), healthz, me)}"
            )
        say(in_process(fixtures, rounds=100 if args.map_seats > 5000 else 200))
        say(f"load average {os.getloadavg()[0]:.1f} at the end")


if __name__ == "__main__":
    main()
