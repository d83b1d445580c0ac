"""Analytics selectors and the retention job over a large table, in-process.

    .venv/bin/python bench/analytics_retention_bench.py            # PostgreSQL 127.0.0.1:5432
    .venv/bin/python bench/analytics_retention_bench.py --sqlite   # the embedded default
    BENCH_BOOKINGS=200000 .venv/bin/python bench/analytics_retention_bench.py

Creates a throwaway database (dropped at the end), migrates it, inserts BENCH_BOOKINGS bookings
(default 50,000) with one allocation each over 20 resources of 5 providers across ~3 years,
then prints one line per measurement: each analytics selector for staff and for one provider
over a 30-day and a 366-day window (median of 5 runs, queries per call), and the retention job
archiving and then anonymising the due bookings (bookings per second).
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from datetime import time as dtime
from functools import partial
from pathlib import Path
from typing import Any

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


def fill(count: int, now: datetime) -> dict[str, Any]:
    from tessera.accounts.roles import Role
    from tessera.accounts.tests.factories import UserFactory
    from tessera.bookings.models import Booking, TimeAllocation
    from tessera.scheduling.models import Resource, WeeklyHours

    rnd = random.Random(7)
    staff = UserFactory(role=Role.STAFF)
    providers = [UserFactory(role=Role.PROVIDER) for _ in range(5)]
    customers = [UserFactory(role=Role.CUSTOMER) for _ in range(50)]
    resources = []
    for i in range(20):
        r = Resource.objects.create(
            name=f"R{i}",
            kind="room",
            capacity=1 + i % 3,
            timezone="Europe/Lisbon",
            owner=providers[i % 5],
        )
        WeeklyHours.objects.bulk_create(
            WeeklyHours(resource=r, weekday=d, start_time=dtime(8), end_time=dtime(20))
            for d in range(7)
        )
        resources.append(r)
    statuses = ["completed"] * 6 + ["cancelled"] * 2 + ["no_show", "confirmed", "expired"]
    first = now - timedelta(days=3 * 365)
    span_hours = int((now - first).total_seconds() // 3600)
    done = 0
    while done < count:
        batch = min(5000, count - done)
        rows = []
        for _ in range(batch):
            start = first + timedelta(hours=rnd.randrange(span_hours))
            rows.append(
                (
                    Booking(
                        kind="time",
                        status=rnd.choice(statuses),
                        customer=rnd.choice(customers),
                        starts_at=start,
                        ends_at=start + timedelta(minutes=60),
                        notes="note",
                    ),
                    rnd.choice(resources),
                )
            )
        made = Booking.objects.bulk_create([b for b, _ in rows])
        TimeAllocation.objects.bulk_create(
            TimeAllocation(
                booking=b,
                resource=r,
                starts_at=b.starts_at,
                ends_at=b.ends_at,
                occupied_from=b.starts_at,
                occupied_to=b.ends_at,
                is_live=False,  # random ranges overlap: keep them out of the exclusion constraint
                exclusive=r.capacity == 1,
            )
            for b, (_, r) in zip(made, rows, strict=True)
        )
        done += batch
    from django.db.models import F

    Booking.objects.update(created_at=F("starts_at") - timedelta(days=3))
    return {"staff": staff, "provider": providers[0]}


def measure(work: Callable[[], Any], runs: int = 5) -> tuple[float, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    times = []
    queries = 0
    for _ in range(runs):
        with CaptureQueriesContext(connection) as ctx:
            started = time.perf_counter()
            work()
            times.append((time.perf_counter() - started) * 1000)
        queries = len(ctx.captured_queries)
    return statistics.median(times), queries


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sqlite", action="store_true")
    args = parser.parse_args()
    count = int(os.environ.get("BENCH_BOOKINGS", "50000"))
    now = datetime.now(tz=UTC).replace(microsecond=0)
    with throwaway_database(args.sqlite, RUN_ID) as url, tempfile.TemporaryDirectory() as data_dir:
        setup(url, data_dir)
        from zoneinfo import ZoneInfo

        from django.db import connection

        from tessera.analytics.selectors.rates import booking_rates
        from tessera.analytics.selectors.scope import analytics_scope, analytics_window
        from tessera.analytics.selectors.trends import booking_trends
        from tessera.analytics.selectors.utilisation import resource_utilisation
        from tessera.retention.policy import RetentionPolicy
        from tessera.retention.services.apply import retention_apply

        started = time.perf_counter()
        who = fill(count, now)
        print(
            f"# tessera analytics/retention bench: {connection.vendor}, {count} bookings "
            f"(filled in {time.perf_counter() - started:.1f}s), load average {os.getloadavg()[0]:.1f}"
        )
        today: date = now.date()
        for days in (30, 366):
            window = analytics_window(
                first=today - timedelta(days=days - 1), last=today, zone=ZoneInfo("Europe/Lisbon")
            )
            for role in ("staff", "provider"):
                scope = analytics_scope(actor=who[role])
                for name, work in (
                    ("trends/day", partial(booking_trends, scope=scope, window=window)),
                    (
                        "trends/week",
                        partial(booking_trends, scope=scope, window=window, period="week"),
                    ),
                    ("utilisation", partial(resource_utilisation, scope=scope, window=window)),
                    ("rates+lead", partial(booking_rates, scope=scope, window=window)),
                ):
                    ms, queries = measure(work)
                    print(f"{name:<12} {days:>3}d {role:<8} {ms:8.1f} ms  {queries} queries")
        for action in ("archive", "anonymise"):
            policy = RetentionPolicy(after_days=730, action=action, batch_size=500)  # type: ignore[arg-type]
            started = time.perf_counter()
            result = retention_apply(policy=policy, now=now)
            seconds = time.perf_counter() - started
            again = retention_apply(policy=RetentionPolicy(after_days=730, action=action), now=now)
            print(
                f"retention {action:<9} {result.processed:>6} bookings in {seconds:6.1f}s = "
                f"{result.processed / max(seconds, 1e-9):7.0f}/s ({result.batches} batches); "
                f"second run: {again.processed}"
            )
            if action == "archive":  # anonymise what is due a year later, on what is left
                now = now + timedelta(days=365)


if __name__ == "__main__":
    main()
