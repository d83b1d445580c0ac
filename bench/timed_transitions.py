"""The time-driven job (`bookings_advance_due`) over many due bookings, beside the raw floor.

    .venv/bin/python bench/timed_transitions.py [--bookings 100000] [--batch 500]

Writes N bookings of time (with their allocations) that are due, then for each scenario times
  job  `bookings_advance_due` with that one rule until nothing is due: batches of `--batch`
       rows locked with SKIP LOCKED, each moved through `booking_transition` (status hooks,
       history row, outbox event, waitlist check);
  raw  one plain SQL UPDATE of the same rows' status (the floor: no history, no event, no
       allocation freed),
resetting the rows in between, and prints one line per scenario with both rates and the
ratio. Scenarios: `expire` (pending past its deadline -> expired) and `complete` (confirmed
past its end -> completed).

Database: DATABASE_URL if set (e.g. postgres://postgres@127.0.0.1:5432/tessera_wt5b; the
bench migrates it and deletes its own rows at the end), else a SQLite file in a temporary
folder.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--bookings", type=int, default=100_000)
    parser.add_argument("--batch", type=int, default=500)
    args = parser.parse_args()
    data_dir = tempfile.mkdtemp(prefix="tessera-bench-")
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings.base",
            "SECRET_KEY": "bench-secret-key-0123456789-0123456789-0123456789",
            "TESSERA_ENV_FILE": "/nonexistent",
            "DATA_DIR": data_dir,
            "CELERY_BROKER_URL": "memory://",
            "LOG_LEVEL": "WARNING",
        }
    )
    if "DATABASE_URL" not in os.environ:
        os.environ["DATABASE_URL"] = f"sqlite:///{data_dir}/bench.sqlite3"
    try:
        run(args.bookings, args.batch)
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)


def run(count: int, batch: int) -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction

    from tessera.accounts.models import User
    from tessera.bookings.models import Booking, BookingStatusChange, TimeAllocation
    from tessera.bookings.services.timed import RULES_BY_NAME, bookings_advance_due
    from tessera.notifications.models import OutboxMessage
    from tessera.scheduling.models import Resource

    call_command("migrate", verbosity=0)
    owner = User.objects.create(username=f"bench-owner-{time.time_ns()}")
    customer = User.objects.create(username=f"bench-customer-{time.time_ns()}")
    room = Resource.objects.create(
        name="Bench room", kind="room", capacity=count, timezone="UTC", owner=owner
    )
    base = datetime(2030, 1, 7, 8, tzinfo=UTC)

    def fill(status: str) -> None:
        bookings = [
            Booking(
                kind="time",
                status=status,
                customer=customer,
                starts_at=base + timedelta(minutes=i % 600),
                ends_at=base + timedelta(minutes=i % 600 + 30),
                confirm_deadline=base - timedelta(hours=1) if status == "pending" else None,
            )
            for i in range(count)
        ]
        Booking.objects.bulk_create(bookings, batch_size=2000)
        ids = Booking.objects.filter(customer=customer).values_list("pk", "starts_at", "ends_at")
        TimeAllocation.objects.bulk_create(
            [
                TimeAllocation(
                    booking_id=pk,
                    resource=room,
                    starts_at=s,
                    ends_at=e,
                    occupied_from=s,
                    occupied_to=e,
                    is_live=True,
                    exclusive=False,
                )
                for pk, s, e in ids
            ],
            batch_size=2000,
        )

    def clear() -> None:
        mine = Booking.objects.filter(customer=customer)
        OutboxMessage.objects.filter(aggregate="booking", payload__customer_id=customer.pk).delete()
        BookingStatusChange.objects.filter(booking__in=mine).delete()
        TimeAllocation.objects.filter(booking__in=mine).delete()
        mine.delete()

    scenarios = {
        "expire": ("pending", "expired", base - timedelta(minutes=1)),
        "complete": ("confirmed", "completed", base + timedelta(days=1)),
    }
    try:
        for name, (before, after, now) in scenarios.items():
            fill(before)
            started = time.perf_counter()
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(
                    "UPDATE bookings_booking SET status = %s WHERE customer_id = %s"
                    " AND status = %s",
                    [after, customer.pk, before],
                )
                assert cursor.rowcount == count, cursor.rowcount
            raw = count / (time.perf_counter() - started)
            Booking.objects.filter(customer=customer).update(status=before)
            started = time.perf_counter()
            moved = bookings_advance_due(
                now=now, limit=batch, max_batches=10**9, rules=(RULES_BY_NAME[name],)
            )
            job = count / (time.perf_counter() - started)
            assert moved[name] == count, moved
            assert BookingStatusChange.objects.filter(to_status=after).count() >= count
            print(
                f"timed_transitions: scenario={name} bookings={count} batch={batch}"
                f" db={connection.vendor} job={job:,.0f} rows/s raw_update={raw:,.0f} rows/s"
                f" ratio={job / raw:.4f}",
                flush=True,
            )
            clear()
    finally:
        clear()
        room.delete()
        customer.delete()
        owner.delete()


if __name__ == "__main__":
    main()
