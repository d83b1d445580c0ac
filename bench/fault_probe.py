"""Fault probe: bookings and their messages through a PostgreSQL restart, a 20-second Redis
outage and killed web and worker processes.

Starts everything it uses and stops it by pid at the end (also on Ctrl-C or an error):
- a PostgreSQL cluster (`initdb` into a temporary folder, loopback port 55440),
- a Redis (port 55441; cache, rate limits and the Celery broker),
- Tessera's web (gunicorn, 2 workers, port 8142), two Celery worker nodes and one beat,
- a webhook receiver on 127.0.0.1 that records every delivery (one subscription, `booking.*`).

Clients book distinct hour-long slots (so every booking can succeed) for `--seconds`, retrying
a failed request with the same `Idempotency-Key` as a careful client would. Meanwhile:
PostgreSQL is restarted (`pg_ctl restart -m fast`), Redis is stopped for 20 s and started
again, then one gunicorn worker and one Celery worker node are killed with SIGKILL (the
gunicorn master starts a new worker). A supervisor thread starts again any worker node or
beat that exited, as systemd or compose would in production. After the load, the probe waits
for the pipeline to drain (up to 15 minutes) and prints:

- bookings attempted / confirmed / lost: lost = a booking a client was told was made that is not
  in the database, or one in the database no client heard of (must be 0 both);
- messages expected (webhook deliveries and emails the fan-out wrote) / delivered (distinct
  event ids at the receiver, distinct Message-IDs in the mail folder) / duplicated (a second
  delivery of one event, a second email with one Message-ID: must be 0) / dead-lettered
  (outbox, notification or webhook rows dead) / still pending when the drain gave up;
- answers 5xx and connection errors the clients saw (each was retried);
- for each fault, its length, the throughput during it, the time from its end to the first
  success, and the throughput in the 10 s after that recovery as a ratio to the 10 s before
  the fault.

Run: `.venv/bin/python bench/fault_probe.py [--seconds 150] [--clients 6]` (about 5 minutes).
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import re
import shutil
import signal
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from fault_stack import WEB_PORT, Receiver, Stack

SETUP = """
import json
from datetime import time
from django.contrib.auth import get_user_model
from rest_framework_simplejwt.tokens import AccessToken
from tessera.accounts.roles import Role
from tessera.accounts.services import user_role_grant
from tessera.notifications.models import WebhookSubscription
from tessera.scheduling.models import Resource, WeeklyHours
User = get_user_model()
admin = User.objects.create_superuser("probe-admin", "admin@probe.test", "x" * 20)
owner = User.objects.create_user("probe-owner", "owner@probe.test", "x" * 20)
user_role_grant(user=owner, role=Role.PROVIDER, actor=admin)
out = {"tokens": [], "resources": []}
for i in range(CLIENTS):
    user = User.objects.create_user(f"probe-{i}", f"probe-{i}@probe.test", "x" * 20)
    out["tokens"].append(str(AccessToken.for_user(user)))
    resource = Resource.objects.create(
        name=f"Probe room {i}", kind="room", capacity=1, timezone="UTC", owner=owner
    )
    for day in range(7):
        WeeklyHours.objects.create(
            resource=resource, weekday=day, start_time=time(0), end_time=time(0)
        )
    out["resources"].append(resource.pk)
WebhookSubscription.objects.create(
    name="probe", url="RECEIVER", secret="s" * 32, event_types=["booking.*"]
)
print("PROBE" + json.dumps(out))
"""


@dataclass
class Outcome:
    key: str
    reference: str = ""
    status: int = 0


@dataclass
class Load:
    base: str
    tokens: list[str]
    resources: list[int]
    start_day: datetime
    successes: list[float] = field(default_factory=list)
    outcomes: list[Outcome] = field(default_factory=list)
    server_errors: int = 0
    connection_errors: int = 0
    failure_times: list[float] = field(default_factory=list)  # 5xx or no answer
    lock: threading.Lock = field(default_factory=threading.Lock)
    stopping: threading.Event = field(default_factory=threading.Event)

    def client(self, index: int) -> None:
        slot = 0
        while not self.stopping.is_set():
            start = self.start_day + timedelta(hours=slot)
            slot += 1
            outcome = Outcome(key=f"probe-{index}-{slot}")
            body = {
                "resource": self.resources[index],
                "start_time": start.isoformat(),
                "duration": 60,
            }
            self._book(index, body, outcome)
            with self.lock:
                self.outcomes.append(outcome)

    def _book(self, index: int, body: dict[str, Any], outcome: Outcome) -> None:
        """Retry with the same key until an answer that is not a server error (or 60 s)."""
        deadline = time.monotonic() + 60
        pause = 0.2
        while time.monotonic() < deadline:
            request = urllib.request.Request(
                f"{self.base}/api/bookings/",
                data=json.dumps(body).encode(),
                method="POST",
                headers={
                    "Authorization": f"Bearer {self.tokens[index]}",
                    "Content-Type": "application/json",
                    "Idempotency-Key": outcome.key,
                },
            )
            try:
                with urllib.request.urlopen(request, timeout=15) as answer:
                    outcome.status = answer.status
                    outcome.reference = json.loads(answer.read())["reference"]
                    with self.lock:
                        self.successes.append(time.monotonic())
                    return
            except urllib.error.HTTPError as exc:
                outcome.status = exc.code
                if exc.code < 500:
                    return
                with self.lock:
                    self.server_errors += 1
                    self.failure_times.append(time.monotonic())
            except (urllib.error.URLError, OSError, TimeoutError):
                with self.lock:
                    self.connection_errors += 1
                    self.failure_times.append(time.monotonic())
            time.sleep(pause)
            pause = min(pause * 2, 2.0)

    def rate(self, start: float, end: float) -> float:
        with self.lock:
            return sum(1 for t in self.successes if start <= t < end) / max(end - start, 1e-9)

    def first_success_after(self, moment: float, timeout: float = 60) -> float:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.lock:
                later = [t for t in self.successes if t > moment]
            if later:
                return min(later)
            time.sleep(0.1)
        return float("nan")


QUERY = """
import json
from tessera.bookings.models import Booking
from tessera.notifications.models import Notification, OutboxMessage, WebhookDelivery
pending = (OutboxMessage.objects.exclude(status__in=["done", "dead"]).count()
           + Notification.objects.filter(status="pending").count()
           + WebhookDelivery.objects.filter(status="pending").count())
print("PROBE" + json.dumps({
    "references": list(Booking.objects.filter(customer__username__startswith="probe-")
                       .values_list("reference", flat=True)),
    "events": OutboxMessage.objects.count(),
    "pending": pending,
    "dead": OutboxMessage.objects.filter(status="dead").count()
            + Notification.objects.filter(status="dead").count()
            + WebhookDelivery.objects.filter(status="dead").count(),
    "emails": Notification.objects.filter(channel="email").count(),
    "webhooks": WebhookDelivery.objects.filter(replay_of__isnull=True).count(),
}))
"""


def probe_json(text: str) -> dict[str, Any]:
    line = next(line for line in text.splitlines() if line.startswith("PROBE"))
    return dict(json.loads(line[len("PROBE") :]))


def email_ids(folder: Path) -> collections.Counter[str]:
    ids: collections.Counter[str] = collections.Counter()
    for path in (folder / "data" / "mail").glob("*"):
        for match in re.finditer(
            r"^Message-ID:\s+(<[^>\s]+>)", path.read_text(errors="replace"), re.M
        ):
            ids[match.group(1).strip()] += 1
    return ids


@dataclass(frozen=True)
class Fault:
    name: str
    began: float
    ended: float  # when the fault was lifted (restart done, Redis back, processes killed)


def faults(stack: Stack, load: Load, start: float, seconds: float) -> list[Fault]:
    """Run the three faults at fixed points of the load; (name, fault start, recovery)."""
    timeline: list[Fault] = []

    def at(offset: float) -> None:
        time.sleep(max(0.0, start + offset - time.monotonic()))

    at(seconds * 0.25)
    began = time.monotonic()
    stack.pg_ctl("restart", "-m", "fast")
    timeline.append(Fault("PostgreSQL restart", began, time.monotonic()))

    at(seconds * 0.45)
    began = time.monotonic()
    stack.redis_stop()
    time.sleep(20)
    stack.redis_start()
    timeline.append(Fault("Redis stopped 20 s", began, time.monotonic()))

    at(seconds * 0.75)
    began = time.monotonic()
    web_workers = stack.web_worker_pids()
    if web_workers:
        os.kill(web_workers[0], signal.SIGKILL)
    os.killpg(stack.procs["worker-a"].pid, signal.SIGKILL)
    stack.procs["worker-a"].wait()  # the supervisor (below) starts it again
    timeline.append(Fault("web + worker killed", began, time.monotonic()))
    return timeline


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=150.0, help="Length of the load.")
    parser.add_argument("--clients", type=int, default=6, help="Parallel booking clients.")
    parser.add_argument("--keep", action="store_true", help="Keep the temporary folder.")
    args = parser.parse_args()
    for tool in ("redis-server", "redis-cli", "pgrep"):
        if not shutil.which(tool):
            sys.exit(f"{tool} is needed (apt-get install redis-server procps).")

    folder = Path(tempfile.mkdtemp(prefix="tessera-fault-"))
    stack = Stack(folder)
    receiver = Receiver()
    receiver_url = receiver.start()
    try:
        print(f"setting up in {folder} ...", flush=True)
        stack.pg_init()
        stack.redis_start()
        stack.manage("migrate", "--noinput", "-v", "0")
        setup = SETUP.replace("CLIENTS", str(args.clients)).replace("RECEIVER", receiver_url)
        made = probe_json(stack.manage("shell", "-c", setup))
        stack.web_start()
        stack.worker_start("worker-a")
        stack.worker_start("worker-b")
        stack.beat_start()
        restarts: collections.Counter[str] = collections.Counter()
        supervising = threading.Event()

        def supervise() -> None:
            while not supervising.wait(1.0):
                restarts.update(stack.revive())

        supervisor = threading.Thread(target=supervise, daemon=True)
        supervisor.start()

        day = (datetime.now(UTC) + timedelta(days=2)).replace(
            hour=0, minute=0, second=0, microsecond=0
        )
        load = Load(f"http://127.0.0.1:{WEB_PORT}", made["tokens"], made["resources"], day)
        clients = [threading.Thread(target=load.client, args=(i,)) for i in range(args.clients)]
        print(f"load: {args.clients} clients for {args.seconds:.0f}s with three faults", flush=True)
        start = time.monotonic()
        for thread in clients:
            thread.start()
        timeline = faults(stack, load, start, args.seconds)
        time.sleep(max(0.0, start + args.seconds - time.monotonic()))
        load.stopping.set()
        for thread in clients:
            thread.join(90)

        print("draining the pipeline ...", flush=True)
        deadline = time.monotonic() + 900
        state = probe_json(stack.manage("shell", "-c", QUERY))
        while state["pending"] and time.monotonic() < deadline:
            time.sleep(10)
            state = probe_json(stack.manage("shell", "-c", QUERY))
        supervising.set()
        supervisor.join(5)
        report(load, state, receiver, email_ids(folder), timeline)
        print(f"restarted by the supervisor: {dict(restarts) or 'none'}")
    finally:
        stack.stop()
        receiver.stop()
        if args.keep:
            print(f"kept {folder}")
        else:
            shutil.rmtree(folder, ignore_errors=True)


def report(
    load: Load,
    state: dict[str, Any],
    receiver: Receiver,
    emails: collections.Counter[str],
    timeline: list[Fault],
) -> None:
    told = {o.reference for o in load.outcomes if o.reference}
    stored = set(state["references"])
    lost = len(told - stored) + len(stored - told)
    refused = sum(1 for o in load.outcomes if not o.reference)
    webhook_dupes = sum(n - 1 for n in receiver.seen.values() if n > 1)
    email_dupes = sum(n - 1 for n in emails.values() if n > 1)
    expected = state["webhooks"] + state["emails"]
    print(
        f"bookings attempted {len(load.outcomes)} confirmed {len(told)} lost {lost} "
        f"(told but not stored {len(told - stored)}, stored but never told "
        f"{len(stored - told)}; not confirmed {refused})"
    )
    print(
        f"messages expected {expected} delivered {len(receiver.seen) + len(emails)} "
        f"duplicated {webhook_dupes + email_dupes} dead-lettered {state['dead']} "
        f"still pending {state['pending']} (webhooks {state['webhooks']}/"
        f"{len(receiver.seen)}/{webhook_dupes}, emails {state['emails']}/{len(emails)}/"
        f"{email_dupes}; outbox events {state['events']})"
    )
    print(f"answers 5xx {load.server_errors} connection errors {load.connection_errors}")
    for fault in timeline:
        recovered = load.first_success_after(fault.ended)
        before = load.rate(fault.began - 10, fault.began)
        during = load.rate(fault.began, fault.ended)
        after = load.rate(recovered, recovered + 10)
        failed = sum(1 for t in load.failure_times if fault.began <= t < recovered + 10)
        print(
            f"{fault.name}: {fault.ended - fault.began:.1f}s, {during:.1f}/s during it, "
            f"{failed} 5xx or unanswered from its start to 10 s after recovery; first "
            f"success {recovered - fault.ended:.1f}s after it ended; throughput {before:.1f}/s "
            f"before, {after:.1f}/s in the 10 s after recovery = {_ratio(after, before)}"
        )


def _ratio(after: float, before: float) -> str:
    return f"{after / before:.2f}x" if before else "n/a"


if __name__ == "__main__":
    main()
