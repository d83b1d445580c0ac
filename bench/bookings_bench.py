"""Benchmark of time bookings (not a test): prints one line per scenario, then stops.

    .venv/bin/python bench/bookings_bench.py                # PostgreSQL on 127.0.0.1:5432
    BENCH_ADMIN_URL=postgres://postgres@host:5432/postgres .venv/bin/python bench/bookings_bench.py
    .venv/bin/python bench/bookings_bench.py --sqlite       # the embedded default

It creates a throwaway database, migrates it, starts gunicorn on 127.0.0.1 (a free port, the
production settings), measures, and drops everything again. Scenarios:

  (a) create_booking  POST /api/bookings/ with a JWT, uncontended (each client thread books its
      own capacity-1 resource), beside: the trivial endpoint (/healthz) of the same server, and
      the raw floor (the same three rows per booking inserted with plain SQL, same concurrency);
  (b) availability    a month of free slots of a resource holding 500 bookings, beside the same
      trivial endpoint and the raw floor (the same rows read with plain SQL);
  and the resident memory of the web processes after the run.

SQL statements per request are counted in-process (CaptureQueriesContext, same database). Every
run is bounded: BENCH_SECONDS per measurement (default 5), BENCH_CLIENTS threads (default 8).
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from benchdb import throwaway_database

ROOT = Path(__file__).resolve().parent.parent
SECONDS = float(os.environ.get("BENCH_SECONDS", "5"))
CLIENTS = int(os.environ.get("BENCH_CLIENTS", "8"))
WORKERS = int(os.environ.get("BENCH_WORKERS", "2"))
THREADS = int(os.environ.get("BENCH_THREADS", "4"))
BOOKINGS_IN_MONTH = 500
RUN_ID = f"bench_{os.getpid()}"


# --- database and server ------------------------------------------------------------------


def free_port() -> int:
    """`BENCH_PORT` when set (a machine shared by several people), else any free port."""
    if os.environ.get("BENCH_PORT"):
        return int(os.environ["BENCH_PORT"])
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def server_env(database_url: str, data_dir: str) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "DATA_DIR": data_dir,
        "DEBUG": "false",
        "SECRET_KEY": "bench-secret-key-" + "x" * 40,
        "SECURE_DATA_TRANSFER": "false",
        "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "LOG_LEVEL": "WARNING",
        "TESSERA_ENV_FILE": "/nonexistent",
        "CONN_MAX_AGE": "600",
    }


@contextlib.contextmanager
def gunicorn(env: dict[str, str], port: int) -> Iterator[subprocess.Popen[bytes]]:
    command = [
        str(ROOT / ".venv/bin/gunicorn"),
        "config.wsgi:application",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(WORKERS),
        "--threads",
        str(THREADS),
        "--keep-alive",
        "30",
        "--log-level",
        "warning",
    ]
    process = subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True)
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            with contextlib.suppress(OSError):
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
                conn.request("GET", "/healthz")
                if conn.getresponse().status == 200:
                    break
            time.sleep(0.2)
        else:
            raise RuntimeError("gunicorn did not start")
        yield process
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


def worker_rss_mb(master: int) -> dict[int, float]:
    """Resident memory (MB) of the gunicorn master and its workers, by pid."""
    out = {}
    for status in Path("/proc").glob("[0-9]*/status"):
        with contextlib.suppress(OSError, KeyError, ValueError):
            text = status.read_text()
            fields = dict(line.split(":", 1) for line in text.splitlines() if ":" in line)
            pid = int(fields["Pid"])
            if int(fields["PPid"]) == master or pid == master:
                out[pid] = int(fields["VmRSS"].split()[0]) / 1024
    return out


# --- load -----------------------------------------------------------------------------------


class Load:
    """CLIENTS threads, each with a keep-alive connection, calling `request(i, n)` repeatedly
    for SECONDS; `request` returns the status. Reports requests per second and latencies."""

    def __init__(self, port: int) -> None:
        self.port = port

    def run(
        self, request: Callable[[http.client.HTTPConnection, int, int], int]
    ) -> dict[str, float]:
        stop = time.monotonic() + SECONDS
        latencies: list[list[float]] = [[] for _ in range(CLIENTS)]
        failures = [0] * CLIENTS

        def client(i: int) -> None:
            conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
            n = 0
            while time.monotonic() < stop:
                began = time.perf_counter()
                status = request(conn, i, n)
                latencies[i].append(time.perf_counter() - began)
                if status >= 400:
                    failures[i] += 1
                n += 1
            conn.close()

        threads = [threading.Thread(target=client, args=(i,)) for i in range(CLIENTS)]
        began = time.monotonic()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.monotonic() - began
        flat = sorted(x for per in latencies for x in per)
        return {
            "rate": len(flat) / elapsed,
            "p50": statistics.median(flat) * 1000,
            "p99": flat[int(len(flat) * 0.99) - 1] * 1000,
            "failed": sum(failures),
            "count": len(flat),
        }


def call(conn: http.client.HTTPConnection, method: str, path: str, **kw: Any) -> int:
    conn.request(method, path, **kw)
    response = conn.getresponse()
    response.read()
    return response.status


def raw_rate(work: Callable[[Any, int, int], None], connect: Callable[[], Any]) -> float:
    """The same concurrency as the HTTP load, straight to the database."""
    stop = time.monotonic() + SECONDS
    counts = [0] * CLIENTS

    def client(i: int) -> None:
        conn = connect()
        while time.monotonic() < stop:
            work(conn, i, counts[i])
            counts[i] += 1
        conn.close()

    threads = [threading.Thread(target=client, args=(i,)) for i in range(CLIENTS)]
    began = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sum(counts) / (time.monotonic() - began)


# --- the Django side (in this process, on the same database) --------------------------------


def django_setup(env: dict[str, str]) -> None:
    os.environ.update({k: v for k, v in env.items() if k not in os.environ or k.isupper()})
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.production"
    sys.path.insert(0, str(ROOT))
    import django

    try:
        django.setup()
    except ModuleNotFoundError:
        os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.base"
        django.setup()


def prepare(month_start: datetime) -> dict[str, Any]:
    from datetime import time as clock

    from rest_framework_simplejwt.tokens import AccessToken

    from tessera.accounts.models import User
    from tessera.scheduling.models import Resource, WeeklyHours

    provider = User.objects.create_user("bench-provider", "p@bench.local", "x" * 20)
    customer = User.objects.create_user("bench-customer", "c@bench.local", "x" * 20)
    around_the_clock = [(d, clock(0), clock(0)) for d in range(7)]

    def resource(name: str, hours: list[tuple[int, Any, Any]]) -> Resource:
        made = Resource.objects.create(
            name=name,
            kind="provider",
            timezone="Europe/Lisbon",
            owner=provider,
            default_duration=30,
        )
        WeeklyHours.objects.bulk_create(
            WeeklyHours(resource=made, weekday=d, start_time=s, end_time=e) for d, s, e in hours
        )
        return made

    own = [resource(f"chair {i}", around_the_clock) for i in range(CLIENTS + 1)]
    busy = resource("busy room", [(d, clock(8), clock(20)) for d in range(7)])
    return {
        "token": str(AccessToken.for_user(customer)),
        "customer": customer.pk,
        "own": [r.pk for r in own],
        "busy": busy.pk,
        "month_start": month_start,
    }


def fill_month(connect: Callable[[], Any], ctx: dict[str, Any], vendor: str) -> list[datetime]:
    """500 bookings in the busy room's month, inserted with plain SQL; returns their starts."""
    rng = random.Random(7)
    slots = [
        ctx["month_start"] + timedelta(days=day, hours=8, minutes=30 * half)
        for day in range(30)
        for half in range(24)
    ]
    starts = sorted(rng.sample(slots, BOOKINGS_IN_MONTH))
    conn = connect()
    for start in starts:
        insert_booking(conn, vendor, ctx["customer"], ctx["busy"], start)
    conn.close()
    return starts


def insert_booking(conn: Any, vendor: str, customer: int, resource: int, start: datetime) -> None:
    """The rows the booking service writes (booking, allocation, first history row)."""
    end = start + timedelta(minutes=30)
    now = datetime.now(tz=UTC)
    mark = "%s"
    if vendor == "sqlite":
        mark = "?"
        start_v, end_v, now_v = (d.isoformat(" ") for d in (start, end, now))
    else:
        start_v, end_v, now_v = start, end, now
    reference = f"{random.getrandbits(48):012X}"[:16]
    cursor = conn.cursor()
    cursor.execute(
        "INSERT INTO bookings_booking (reference, kind, status, customer_id, starts_at, ends_at, "
        "notes, currency, cancel_reason, created_at, updated_at) VALUES "
        f"({mark}, 'time', 'confirmed', {mark}, {mark}, {mark}, '', '', '', {mark}, {mark}) "
        "RETURNING id",
        (reference, customer, start_v, end_v, now_v, now_v),
    )
    booking_id = cursor.fetchone()[0]
    cursor.execute(
        "INSERT INTO bookings_timeallocation (booking_id, resource_id, starts_at, ends_at, "
        "occupied_from, occupied_to, is_live, exclusive, approved) VALUES "
        f"({mark}, {mark}, {mark}, {mark}, {mark}, {mark}, true, true, true)",
        (booking_id, resource, start_v, end_v, start_v, end_v),
    )
    cursor.execute(
        "INSERT INTO bookings_bookingstatuschange (booking_id, from_status, to_status, actor_id, "
        f"reason, at) VALUES ({mark}, '', 'confirmed', {mark}, '', {mark})",
        (booking_id, customer, now_v),
    )
    conn.commit()


def statements(method: str, path: str, body: dict[str, Any] | None, token: str | None) -> int:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    with CaptureQueriesContext(connection) as queries:
        if method == "POST":
            response = client.post(
                path, json.dumps(body), content_type="application/json", **headers
            )
        else:
            response = client.get(path, **headers)
    assert response.status_code < 300, response.content[:300]
    if os.environ.get("BENCH_SHOW_SQL"):
        for query in queries.captured_queries:
            print("   ", query["sql"][:110], file=sys.stderr)
    return len(queries)


# --- scenarios --------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sqlite", action="store_true", help="the embedded default instead")
    args = parser.parse_args()
    now = datetime.now(tz=UTC).replace(minute=0, second=0, microsecond=0)
    month_start = (now + timedelta(days=2)).replace(hour=0)
    with (
        tempfile.TemporaryDirectory(prefix="tessera-bench-data-") as data_dir,
        throwaway_database(args.sqlite, RUN_ID) as database_url,
    ):
        env = server_env(database_url, data_dir)
        subprocess.run(
            [str(ROOT / ".venv/bin/python"), "manage.py", "migrate", "-v0"],
            cwd=ROOT,
            env=env,
            check=True,
        )
        django_setup(env)
        from django.db import connection

        vendor = connection.vendor
        ctx = prepare(month_start)
        connect = database_connector(database_url, vendor)
        fill_month(connect, ctx, vendor)
        port = free_port()
        with gunicorn(env, port) as server:
            load = Load(port)
            print(
                f"# tessera bookings bench: {vendor}, {WORKERS} workers x {THREADS} threads, "
                f"{CLIENTS} client threads, {SECONDS:.0f}s per measurement, "
                f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}"
            )
            trivial = load.run(lambda c, i, n: call(c, "GET", "/healthz"))
            auth = {"Authorization": f"Bearer {ctx['token']}"}
            me = load.run(lambda c, i, n: call(c, "GET", "/api/users/me/", headers=auth))
            create = scenario_create(load, ctx, now)
            create_sql = statements(
                "POST",
                "/api/bookings/",
                {"resource": ctx["own"][-1], "start_time": (now + timedelta(days=200)).isoformat()},
                ctx["token"],
            )
            raw_create = raw_rate(
                lambda conn, i, n: insert_booking(
                    conn,
                    vendor,
                    ctx["customer"],
                    ctx["own"][i],
                    now + timedelta(days=300) + timedelta(minutes=30 * n),
                ),
                connect,
            )
            avail_path = (
                f"/api/resources/{ctx['busy']}/availability/?duration=30"
                f"&start={month_start.date().isoformat()}"
                f"&end={(month_start + timedelta(days=30)).date().isoformat()}"
            )
            avail = load.run(lambda c, i, n: call(c, "GET", avail_path))
            avail_sql = statements("GET", avail_path, None, None)
            raw_avail = raw_rate(lambda conn, i, n: read_month(conn, vendor, ctx), connect)
            rss = worker_rss_mb(server.pid)
        line("create_booking", create, trivial, me, raw_create, "bookings", create_sql)
        line("availability_month", avail, trivial, me, raw_avail, "reads", avail_sql)
        master = rss.pop(server.pid, 0.0)
        print(
            f"memory             largest web worker {max(rss.values()):.1f} MB resident "
            f"(workers: {', '.join(f'{x:.0f}' for x in rss.values())} MB, "
            f"master {master:.0f} MB; target < 150 MB)"
        )


def scenario_create(load: Load, ctx: dict[str, Any], now: datetime) -> dict[str, float]:
    headers = {"Authorization": f"Bearer {ctx['token']}", "Content-Type": "application/json"}
    base = now + timedelta(days=40)

    def request(conn: http.client.HTTPConnection, i: int, n: int) -> int:
        start = base + timedelta(minutes=30 * n)
        body = json.dumps({"resource": ctx["own"][i], "start_time": start.isoformat()})
        return call(conn, "POST", "/api/bookings/", body=body, headers=headers)

    result = load.run(request)
    if result["failed"]:
        print(f"# warning: {result['failed']} booking requests failed", file=sys.stderr)
    return result


def read_month(conn: Any, vendor: str, ctx: dict[str, Any]) -> None:
    """The raw floor of (b): the same rows the availability endpoint reads, in plain SQL."""
    mark = "?" if vendor == "sqlite" else "%s"
    start = ctx["month_start"]
    end = start + timedelta(days=31)
    values = (start.isoformat(" "), end.isoformat(" ")) if vendor == "sqlite" else (start, end)
    cursor = conn.cursor()
    cursor.execute(f"SELECT * FROM scheduling_resource WHERE id = {mark}", (ctx["busy"],))
    cursor.fetchall()
    cursor.execute(
        "SELECT weekday, start_time, end_time FROM scheduling_weeklyhours "
        f"WHERE resource_id = {mark}",
        (ctx["busy"],),
    )
    cursor.fetchall()
    cursor.execute(
        "SELECT occupied_from, occupied_to FROM bookings_timeallocation "
        f"WHERE resource_id = {mark} AND is_live"
        f" AND occupied_from < {mark} AND occupied_to > {mark}",
        (ctx["busy"], values[1], values[0]),
    )
    cursor.fetchall()
    conn.commit()


def database_connector(database_url: str, vendor: str) -> Callable[[], Any]:
    if vendor == "sqlite":
        import sqlite3

        path = database_url.removeprefix("sqlite:///")
        return lambda: sqlite3.connect(f"/{path}" if not path.startswith("/") else path, timeout=30)
    import psycopg

    return lambda: psycopg.connect(database_url)


def line(
    name: str,
    http: dict[str, float],
    trivial: dict[str, float],
    me: dict[str, float],
    raw: float,
    unit: str,
    sql: int,
) -> None:
    rate = http["rate"]
    # What a request costing exactly /healthz plus the raw SQL, and nothing else, would reach on
    # these shared cores: the ceiling of any implementation, as a fraction of /healthz.
    bound = 1 / (1 / trivial["rate"] + 1 / raw)
    print(
        f"{name:<18} {rate:6.1f} req/s (p50 {http['p50']:.0f} ms, p99 {http['p99']:.0f} ms)"
        f" | /healthz {trivial['rate']:6.1f}/s ratio {rate / trivial['rate']:.2f}"
        f" | /api/users/me/ {me['rate']:6.1f}/s ratio {rate / me['rate']:.2f}"
        f" | raw SQL {raw:6.1f} {unit}/s ratio {rate / raw:.2f}"
        f" | HTTP+SQL ceiling {bound:6.1f}/s = {bound / trivial['rate']:.2f}x /healthz"
        f" | {sql} SQL statements/request"
    )


if __name__ == "__main__":
    main()
