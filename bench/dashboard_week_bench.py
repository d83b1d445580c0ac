"""The provider dashboard's week view with 500 bookings, in-process, against `/healthz`.

    .venv/bin/python bench/dashboard_week_bench.py            # PostgreSQL 127.0.0.1:5432
    .venv/bin/python bench/dashboard_week_bench.py --sqlite   # the embedded default
    BENCH_BOOKINGS=2000 BENCH_RUNS=100 .venv/bin/python bench/dashboard_week_bench.py

Creates a throwaway database (dropped at the end), migrates it, gives one provider 5 resources
and BENCH_BOOKINGS (500) bookings in one week, signs them in, then requests, through Django's
test client in this one process (the whole middleware stack, the session, the template), the
week view and the trivial `/healthz` alternately BENCH_RUNS (50) times each. Prints one line:
p50 and p90 of each, their ratio, and the SQL statements of one week view. No HTTP server and
one client: it measures the page's own cost, not a server's concurrency.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from benchdb import throwaway_database

ROOT = Path(__file__).resolve().parent.parent
RUN_ID = f"bench_{os.getpid()}"


def setup(database_url: str, data_dir: str) -> None:
    os.environ.update(
        {
            "DATABASE_URL": database_url,
            "DATA_DIR": data_dir,
            "TESSERA_ENV_FILE": "/nonexistent",
            "DJANGO_SETTINGS_MODULE": "config.settings.test",
        }
    )
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def fill(count: int, monday: datetime) -> object:
    from tessera.accounts.roles import Role
    from tessera.accounts.tests.factories import UserFactory
    from tessera.bookings.models import Booking, BookingKind, TimeAllocation
    from tessera.scheduling.tests.factories import make_resource

    provider = UserFactory(role=Role.PROVIDER, username="bench-provider")
    customer = UserFactory(role=Role.CUSTOMER, username="bench-customer")
    rooms = [make_resource(name=f"Room {i}", owner=provider, capacity=50) for i in range(5)]
    starts = [monday + timedelta(minutes=20 * i) for i in range(count)]  # within 7 days for 500
    bookings = Booking.objects.bulk_create(
        Booking(
            kind=BookingKind.TIME,
            customer=customer,
            status="confirmed",
            starts_at=start,
            ends_at=start + timedelta(minutes=30),
        )
        for start in starts
    )
    TimeAllocation.objects.bulk_create(
        TimeAllocation(
            booking=b,
            resource=rooms[i % len(rooms)],
            starts_at=b.starts_at,
            ends_at=b.ends_at,
            occupied_from=b.starts_at,
            occupied_to=b.ends_at,
            exclusive=False,
        )
        for i, b in enumerate(bookings)
    )
    return provider


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sqlite", action="store_true")
    args = parser.parse_args()
    count = int(os.environ.get("BENCH_BOOKINGS", "500"))
    runs = int(os.environ.get("BENCH_RUNS", "50"))
    with throwaway_database(args.sqlite, RUN_ID) as url, tempfile.TemporaryDirectory() as data_dir:
        setup(url, data_dir)
        from django.core.signals import request_finished, request_started
        from django.db import close_old_connections, connection, reset_queries
        from django.test import Client
        from django.test.utils import CaptureQueriesContext

        # Keep the one connection and its query log across requests (as Django's TestCase
        # does), so that its statements can be counted and no request pays for a reconnection.
        request_finished.disconnect(close_old_connections)
        request_started.disconnect(reset_queries)

        today = datetime.now(tz=UTC).replace(hour=0, minute=0, second=0, microsecond=0)
        monday = today - timedelta(days=today.weekday())
        provider = fill(count, monday)
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(provider)
        week = f"/dashboard/?view=week&day={monday:%Y-%m-%d}"
        with CaptureQueriesContext(connection) as ctx:
            body = client.get(week).content.decode()
        shown = body.count('id="booking-')
        timings: dict[str, list[float]] = {"week": [], "healthz": []}
        for _ in range(runs):
            for name, path in (("week", week), ("healthz", "/healthz")):
                started = time.perf_counter()
                response = client.get(path)
                timings[name].append((time.perf_counter() - started) * 1000)
                assert response.status_code == 200, (path, response.status_code)
        week_p50 = statistics.median(timings["week"])
        health_p50 = statistics.median(timings["healthz"])
        print(
            f"dashboard_week {connection.vendor} {count} bookings ({shown} shown), {runs} runs, "
            f"load average {os.getloadavg()[0]:.1f}: p50 {week_p50:.1f} ms, "
            f"p90 {percentile(timings['week'], 0.9):.1f} ms | /healthz p50 {health_p50:.2f} ms | "
            f"ratio {week_p50 / health_p50:.0f}x | {len(ctx.captured_queries)} SQL statements"
        )


if __name__ == "__main__":
    main()
