"""The processes of the fault probe (`fault_probe.py`): a private PostgreSQL cluster and Redis,
Tessera's web, workers and beat, and a webhook receiver. Everything started here is stopped by
pid (process group) in `Stack.stop()`."""

from __future__ import annotations

import collections
import glob
import os
import pwd
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
PG_PORT, REDIS_PORT, WEB_PORT = 55440, 55441, 8142
DB = "tessera_fault"


def pg_bin(name: str) -> str:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    if not found:
        sys.exit(f"PostgreSQL's {name} is not installed (apt-get install postgresql).")
    return found[-1]


def wait_for(check: Callable[[], bool], what: str, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if check():
                return
        except Exception:
            pass
        time.sleep(0.3)
    raise SystemExit(f"{what} did not come up within {timeout:.0f}s")


def http_status(url: str) -> int:
    with urllib.request.urlopen(url, timeout=5) as answer:
        return int(answer.status)


def stop(proc: subprocess.Popen[bytes]) -> None:
    """SIGTERM the process group the probe started, SIGKILL it if it lingers."""
    if proc.poll() is not None:
        return
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=5)


@dataclass
class Receiver:
    """The webhook receiver: counts deliveries per `Idempotency-Key` (the event id)."""

    seen: collections.Counter[str] = field(default_factory=collections.Counter)
    lock: threading.Lock = field(default_factory=threading.Lock)
    server: ThreadingHTTPServer | None = None

    def start(self) -> str:
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                self.rfile.read(int(self.headers.get("Content-Length") or 0))
                with outer.lock:
                    outer.seen[self.headers.get("Idempotency-Key", "?")] += 1
                self.send_response(204)
                self.end_headers()

            def log_message(self, format: str, *args: Any) -> None:
                return

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return f"http://127.0.0.1:{self.server.server_address[1]}/in"

    def stop(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()


class Stack:
    """PostgreSQL (as the `postgres` system user when run as root), Redis, Tessera."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.pgdir = folder / "pg"  # data, socket and log; owned by the cluster's user
        self.pgdata = self.pgdir / "data"
        self.procs: dict[str, subprocess.Popen[bytes]] = {}
        env = {key: value for key, value in os.environ.items() if key != "DJANGO_SETTINGS_MODULE"}
        self.env = {
            **env,
            "DATABASE_URL": f"postgres://postgres@127.0.0.1:{PG_PORT}/{DB}",
            "REDIS_URL": f"redis://127.0.0.1:{REDIS_PORT}/0",
            "CELERY_BROKER_URL": f"redis://127.0.0.1:{REDIS_PORT}/1",
            "DATA_DIR": str(folder / "data"),
            "DEBUG": "false",
            "SECRET_KEY": "fault-probe-" + "x" * 40,
            "SECURE_DATA_TRANSFER": "false",
            "EMAIL_BACKEND": "file",
            # short enough for the probe to see the recovery paths within its run
            "OUTBOX_REQUEUE_AFTER_SECONDS": "30",
            "NOTIFY_SEND_LEASE_SECONDS": "30",
            "NOTIFY_BACKOFF_BASE_SECONDS": "2",
            "NOTIFY_BACKOFF_MAX_SECONDS": "10",
            "JWT_ACCESS_MINUTES": "60",
            "PYTHONUNBUFFERED": "1",
        }

    def spawn(self, name: str, args: list[str]) -> subprocess.Popen[bytes]:
        log = (self.folder / f"{name}.log").open("ab")
        proc = subprocess.Popen(
            args,
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.procs[name] = proc
        return proc

    # PostgreSQL -----------------------------------------------------------------------------
    def _as_cluster_user(self, args: list[str]) -> None:
        prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        subprocess.run(prefix + args, check=True, stdout=subprocess.DEVNULL, cwd=self.pgdir)

    def pg_ctl(self, action: str, *extra: str) -> None:
        opts = f"-p {PG_PORT} -k {self.pgdir} -c listen_addresses=127.0.0.1 -c fsync=off"
        log = str(self.pgdir / "pg.log")
        self._as_cluster_user(
            [
                pg_bin("pg_ctl"),
                "-D",
                str(self.pgdata),
                "-l",
                log,
                "-w",
                "-t",
                "60",
                "-o",
                opts,
                *extra,
                action,
            ]
        )

    def pg_init(self) -> None:
        self.pgdir.mkdir()
        if os.geteuid() == 0:
            user = pwd.getpwnam("postgres")
            os.chown(self.pgdir, user.pw_uid, user.pw_gid)
            self.folder.chmod(0o755)
        self._as_cluster_user(
            [pg_bin("initdb"), "-D", str(self.pgdata), "-U", "postgres", "-A", "trust"]
        )
        self.pg_ctl("start")
        createdb = [pg_bin("createdb"), "-h", "127.0.0.1", "-p", str(PG_PORT), "-U", "postgres"]
        subprocess.run([*createdb, DB], check=True)

    def pg_pid(self) -> int | None:
        pidfile = self.pgdata / "postmaster.pid"
        return int(pidfile.read_text().split()[0]) if pidfile.exists() else None

    # Redis ----------------------------------------------------------------------------------
    def redis_start(self) -> None:
        args = f"--port {REDIS_PORT} --bind 127.0.0.1 --appendonly no --dir {self.folder}"
        self.spawn("redis", ["redis-server", *args.split(), "--save", ""])
        wait_for(self.redis_up, "Redis")

    def redis_up(self) -> bool:
        ping = ["redis-cli", "-p", str(REDIS_PORT), "ping"]
        done = subprocess.run(ping, capture_output=True, text=True, check=False)
        return done.stdout.strip() == "PONG"

    def redis_stop(self) -> None:
        stop(self.procs.pop("redis"))

    # Tessera --------------------------------------------------------------------------------
    def manage(self, *args: str) -> str:
        done = subprocess.run(
            [str(BIN / "python"), "manage.py", *args],
            cwd=ROOT,
            env=self.env,
            text=True,
            capture_output=True,
            check=False,
        )
        if done.returncode:
            sys.exit(f"manage.py {args[0]} failed:\n{done.stdout}\n{done.stderr}")
        return done.stdout

    def web_start(self) -> None:
        opts = f"--bind 127.0.0.1:{WEB_PORT} --workers 2 --threads 4 --graceful-timeout 5"
        self.spawn("web", [str(BIN / "gunicorn"), "config.wsgi:application", *opts.split()])
        wait_for(lambda: http_status(f"http://127.0.0.1:{WEB_PORT}/healthz") == 200, "gunicorn")

    def web_worker_pids(self) -> list[int]:
        children = ["pgrep", "-P", str(self.procs["web"].pid)]
        done = subprocess.run(children, capture_output=True, text=True, check=False)
        return [int(pid) for pid in done.stdout.split()]

    def worker_start(self, name: str) -> None:
        opts = "--pool threads --concurrency 4 --without-gossip --without-mingle --loglevel warning"
        self.spawn(
            name,
            [str(BIN / "celery"), "-A", "config", "worker", *opts.split(), "-n", f"{name}@probe"],
        )

    def revive(self) -> list[str]:
        """Start again any worker or beat that exited, as a process supervisor (systemd's
        Restart=always, compose's restart policy) would; the names restarted."""
        restarted = []
        for name, proc in list(self.procs.items()):
            if name.startswith(("worker-", "beat")) and proc.poll() is not None:
                if name == "beat":
                    self.beat_start()
                else:
                    self.worker_start(name)
                restarted.append(name)
        return restarted

    def beat_start(self) -> None:
        schedule = str(self.folder / "beat-schedule")
        self.spawn(
            "beat",
            [
                str(BIN / "celery"),
                "-A",
                "config",
                "beat",
                "--loglevel",
                "warning",
                "-s",
                schedule,
                "--pidfile",
                "",
            ],
        )

    def stop(self) -> None:
        for proc in list(self.procs.values()):
            stop(proc)
        self.procs.clear()
        pid = self.pg_pid()
        if pid is not None:
            try:
                self._as_cluster_user(
                    [pg_bin("pg_ctl"), "-D", str(self.pgdata), "-m", "immediate", "stop"]
                )
            except subprocess.CalledProcessError:
                os.kill(pid, signal.SIGKILL)
