"""Outbox dispatcher throughput beside the raw floor of the broker.

    .venv/bin/python bench/outbox_dispatch.py [--messages 10000] [--rounds 3] [--batch 500]

Writes N outbox messages, then times:
  relay  outbox_relay() until the outbox is empty: claim a batch (SKIP LOCKED on PostgreSQL),
         publish one Celery task per message to the broker, mark the batch queued;
  raw    the same N Celery task messages published straight to the broker by one producer,
         with no database at all (the floor the relay cannot beat).
and prints one line with the best rate of each over the rounds (alternated) and the ratio.

Database: DATABASE_URL if set (e.g. postgres://postgres@127.0.0.1:5432/tessera_wt5), else a
SQLite file in a temporary folder. Broker: BENCH_BROKER_URL if set, else a redis-server the
bench starts on a free port of 127.0.0.1 (else the filesystem broker in a temporary folder).
The queues it fills are purged at the end.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def start_redis() -> tuple[str, subprocess.Popen[bytes] | None]:
    url = os.environ.get("BENCH_BROKER_URL")
    if url:
        return url, None
    binary = shutil.which("redis-server")
    if binary is None:
        return "filesystem://", None
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    process = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(200):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.1).close()
            break
        except OSError:
            time.sleep(0.05)
    return f"redis://127.0.0.1:{port}/0", process


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--messages", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--batch", type=int, default=500)
    args = parser.parse_args()

    data_dir = tempfile.mkdtemp(prefix="tessera-bench-")
    broker_url, redis = start_redis()
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings.base",
            "SECRET_KEY": "bench-secret-key-0123456789-0123456789-0123456789",
            "TESSERA_ENV_FILE": "/nonexistent",
            "DATA_DIR": data_dir,
            "CELERY_BROKER_URL": broker_url,
            "OUTBOX_BATCH_SIZE": str(args.batch),
            "LOG_LEVEL": "WARNING",
        }
    )
    try:
        run(args.messages, args.batch, args.rounds, broker_url)
    finally:
        if redis is not None:
            redis.terminate()
            redis.wait()
        shutil.rmtree(data_dir, ignore_errors=True)


def run(count: int, batch: int, rounds: int, broker_url: str) -> None:
    import django

    django.setup()
    from celery import current_app
    from django.core.management import call_command
    from django.db import connection

    from tessera.core.clock import utcnow
    from tessera.notifications.broker import DELIVER_TASK
    from tessera.notifications.models import OutboxMessage
    from tessera.notifications.services import outbox_relay

    call_command("migrate", verbosity=0)
    payload = {
        "reference": "K7M2P9QX4T",
        "customer_id": 1,
        "starts_at": "2030-05-06T09:00:00+00:00",
        "ends_at": "2030-05-06T09:30:00+00:00",
        "title": "Haircut with Bruno",
    }

    def fill() -> list[str]:
        OutboxMessage.objects.all().delete()
        now = utcnow()
        OutboxMessage.objects.bulk_create(
            [
                OutboxMessage(
                    event_type="booking.confirmed",
                    aggregate="booking",
                    aggregate_id=f"R{i:08d}",
                    payload=payload,
                    available_at=now,
                    created_at=now,
                )
                for i in range(count)
            ],
            batch_size=2000,
        )
        return [str(e) for e in OutboxMessage.objects.values_list("event_id", flat=True)]

    def purge() -> None:
        with current_app.connection_for_write() as conn:
            for queue in ("bench-raw", current_app.conf.task_default_queue):
                with contextlib.suppress(Exception):  # a queue that never existed
                    conn.default_channel.queue_purge(queue)

    def raw_rate(event_ids: list[str]) -> float:
        """The floor: the same task messages, one producer, no database."""
        started = time.perf_counter()
        with current_app.producer_or_acquire() as producer:
            for event_id in event_ids:
                current_app.send_task(
                    DELIVER_TASK,
                    args=[event_id],
                    task_id=event_id,
                    producer=producer,
                    queue="bench-raw",
                )
        return count / (time.perf_counter() - started)

    def relay_rate() -> float:
        started = time.perf_counter()
        relayed = 0
        while True:
            result = outbox_relay(now=utcnow())
            if not result.claimed:
                break
            relayed += result.published
        assert relayed == count, (relayed, count)
        return relayed / (time.perf_counter() - started)

    raws, relays = [], []
    for _ in range(rounds):  # alternate, best of each: the machine is shared and noisy
        event_ids = fill()
        raws.append(raw_rate(event_ids))
        relays.append(relay_rate())
        purge()
    OutboxMessage.objects.all().delete()
    raw, relay = max(raws), max(relays)
    broker = broker_url.split(":", 1)[0]
    print(
        f"outbox_dispatch: messages={count} x{rounds} batch={batch} db={connection.vendor}"
        f" broker={broker} relay={relay:,.0f} msg/s raw_publish={raw:,.0f} msg/s"
        f" ratio={relay / raw:.2f}"
    )


if __name__ == "__main__":
    main()
