"""Plumbing of the events benchmarks: a throwaway PostgreSQL database, a gunicorn server on
127.0.0.1, and a pool of HTTP clients (threads + `http.client`) that records latencies.

Nothing here is specific to one scenario; `events_flash_sale.py` is the benchmark.
"""

from __future__ import annotations

import http.client
import json
import os
import random
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import benchdb

ROOT = Path(__file__).resolve().parent.parent
PYTHON = str(ROOT / ".venv" / "bin" / "python")
GUNICORN = str(ROOT / ".venv" / "bin" / "gunicorn")


# --- database and server -----------------------------------------------------------------------


@contextmanager
def throwaway_database() -> Iterator[str]:
    """A fresh PostgreSQL database (`tessera_bench_<pid>`), dropped afterwards; yields its URL."""
    with benchdb.throwaway_database(sqlite=False, run_id=f"bench_{os.getpid()}") as url:
        yield url


def server_env(database_url: str) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "TESSERA_ENV_FILE": "/nonexistent",
        "SECRET_KEY": "bench-secret-key-0123456789-0123456789-0123456789",
        "DEBUG": "false",
        "SECURE_DATA_TRANSFER": "false",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "LOG_LEVEL": "ERROR",  # 409s are the point of a flash sale: not worth a log line
        "DATA_DIR": _data_dir(),
        "CONN_MAX_AGE": "600",
        "JWT_ACCESS_MINUTES": "120",
        "DJANGO_SETTINGS_MODULE": "config.settings.base",
    }


def _data_dir() -> str:
    import tempfile

    path = Path(tempfile.gettempdir()) / f"tessera-bench-{os.getpid()}"
    (path / "static").mkdir(parents=True, exist_ok=True)
    return str(path)


def migrate(env: dict[str, str]) -> None:
    subprocess.run(
        [PYTHON, "manage.py", "migrate", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True
    )


def free_port() -> int:
    """`BENCH_PORT` when set (a machine shared by several people), else any free port."""
    if os.environ.get("BENCH_PORT"):
        return int(os.environ["BENCH_PORT"])
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def gunicorn(env: dict[str, str], *, workers: int, threads: int) -> Iterator[int]:
    """gunicorn with `workers` processes (gthread workers when `threads` > 1); yields its port."""
    port = free_port()
    args = [
        GUNICORN,
        "config.wsgi:application",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--backlog",
        "2048",
        "--log-level",
        "warning",
        "--keep-alive",
        "30",
    ]
    if threads > 1:
        args += ["--worker-class", "gthread", "--threads", str(threads)]
    log = Path(env["DATA_DIR"]) / "gunicorn.log"
    process = subprocess.Popen(
        args, cwd=ROOT, env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                status, _ = request(port, "GET", "/healthz")
                if status == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline or process.poll() is not None:
                raise RuntimeError("gunicorn did not start")
            time.sleep(0.2)
        yield port
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
        errors = [line for line in log.read_text().splitlines() if "ERROR" in line]
        if errors:
            say(f"server log ({log}): {len(errors)} error line(s), e.g. {errors[0]}")


# --- HTTP clients ------------------------------------------------------------------------------


class Client:
    """One keep-alive connection (reopened when the server closes it)."""

    def __init__(self, port: int, token: str | None = None) -> None:
        self.port = port
        self.headers = {"Content-Type": "application/json"}
        if token:
            self.headers["Authorization"] = f"Bearer {token}"
        self.conn: http.client.HTTPConnection | None = None

    def send(self, method: str, path: str, body: Any = None) -> tuple[int, bytes]:
        payload = None if body is None else json.dumps(body)
        for attempt in range(2):
            if self.conn is None:
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
            try:
                self.conn.request(method, path, body=payload, headers=self.headers)
                response = self.conn.getresponse()
                data = response.read()
                if response.getheader("Connection", "").lower() == "close":
                    self.conn.close()
                    self.conn = None
                return response.status, data
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                self.conn.close()
                self.conn = None
                if attempt:
                    raise
        raise AssertionError("unreachable")


def request(port: int, method: str, path: str, body: Any = None) -> tuple[int, bytes]:
    return Client(port).send(method, path, body)


@dataclass
class Run:
    latencies: list[float] = field(default_factory=list)
    statuses: dict[int, int] = field(default_factory=dict)
    codes: dict[str, int] = field(default_factory=dict)
    elapsed: float = 0.0

    @property
    def requests(self) -> int:
        return len(self.latencies)

    def rate(self) -> float:
        return self.requests / self.elapsed if self.elapsed else 0.0

    def percentile(self, p: float) -> float:
        ordered = sorted(self.latencies)
        if not ordered:
            return 0.0
        return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))] * 1000


Step = Callable[[int, Client], "tuple[str, str, Any] | None"]
Seen = Callable[[int, int, bytes], None]


def drive(
    clients: list[Client],
    *,
    next_request: Step,
    on_response: Seen | None = None,
    stop: threading.Event | None = None,
    seconds: float,
    max_requests: int,
) -> Run:
    """Every client sends requests back to back until `stop`, the time limit or the request
    budget; all start together."""
    stop = stop or threading.Event()
    run = Run()
    lock = threading.Lock()
    barrier = threading.Barrier(len(clients) + 1)
    deadline: list[float] = [0.0]

    def loop(index: int, client: Client) -> None:
        barrier.wait()
        local: list[tuple[float, int, str]] = []
        while not stop.is_set() and time.perf_counter() < deadline[0]:
            with lock:
                if run.requests + len(local) >= max_requests:
                    break
            step = next_request(index, client)
            if step is None:
                break
            method, path, body = step
            started = time.perf_counter()
            status, data = client.send(method, path, body)
            local.append((time.perf_counter() - started, status, _code(status, data)))
            if on_response is not None:
                on_response(index, status, data)
            if len(local) >= 20:
                _merge(run, local, lock)
        _merge(run, local, lock)

    threads = [
        threading.Thread(target=loop, args=(i, c), daemon=True) for i, c in enumerate(clients)
    ]
    for thread in threads:
        thread.start()
    deadline[0] = time.perf_counter() + seconds
    started = time.perf_counter()
    barrier.wait()
    for thread in threads:
        thread.join(seconds + 120)
    run.elapsed = time.perf_counter() - started
    return run


def _code(status: int, data: bytes) -> str:
    if status < 400:
        return ""
    try:
        return str(json.loads(data).get("code", ""))
    except ValueError:
        return "?"


def _merge(run: Run, local: list[tuple[float, int, str]], lock: threading.Lock) -> None:
    with lock:
        for latency, status, code in local:
            run.latencies.append(latency)
            run.statuses[status] = run.statuses.get(status, 0) + 1
            if code:
                run.codes[code] = run.codes.get(code, 0) + 1
    local.clear()


def say(line: str) -> None:
    print(line, flush=True)


def rng(seed: int) -> random.Random:
    return random.Random(seed)


__all__ = ["Client", "Run", "drive", "gunicorn", "migrate", "say", "server_env", "sys"]
