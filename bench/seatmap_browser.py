"""The seat-map page of a 5,000-seat hall in a real Chromium: how long until it is ready, and
how long a click takes to come back as a hold on screen.

    .venv/bin/python bench/seatmap_browser.py             # SQLite (the embedded default)
    .venv/bin/python bench/seatmap_browser.py --postgres  # PostgreSQL at 127.0.0.1:5432

It creates a throwaway database, migrates it, seeds a hall of 50 rows x 100 seats with a third
of its seats sold (every third seat, for a realistic map), collects the static files, and starts
gunicorn (production settings, 2 workers x 4 threads) on the first free port of 8170-8179. Then
Debian's Chromium (headless, through Playwright) signs in through the page and measures:

- `ready`: navigation start -> the map drawn, its handlers attached and a seat clickable (the
  page's `seatmap-ready` performance mark), over `BENCH_LOADS` (10) loads after one warm-up;
- `hold`: a click on a free seat -> the seat shown held (its `aria-checked` turns true after the
  server's answer), and `release`: a click on it again -> shown free, over `BENCH_CLICKS` (30).

One line of results; targets: ready < 1 s, hold p50 < 150 ms. About a minute in all.
"""

from __future__ import annotations

import os
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import benchdb

ROOT = Path(__file__).resolve().parent.parent
PYTHON = str(ROOT / ".venv" / "bin" / "python")
GUNICORN = str(ROOT / ".venv" / "bin" / "gunicorn")
PORTS = range(8170, 8180)
PASSWORD = "bench-seat-map-2026"  # a throwaway account of a throwaway database
ROWS, PER_ROW = 50, 100
LOADS = int(os.environ.get("BENCH_LOADS", "10"))
CLICKS = int(os.environ.get("BENCH_CLICKS", "30"))
CHROMIUM = os.environ.get("TESSERA_CHROMIUM", "/usr/bin/chromium")

# (page received, seat-map JSON received, map ready), in ms from navigation start.
TIMINGS = """() => {
  const json = performance.getEntriesByType('resource').find((e) => e.name.endsWith('/seats/'));
  return [performance.getEntriesByType('navigation')[0].responseEnd,
          json ? json.responseEnd : 0,
          performance.getEntriesByName('seatmap-ready')[0].startTime];
}"""
CLICK_AND_WAIT = """async ([id, want]) => {
  const seat = document.getElementById('seat-' + id);
  const started = performance.now();
  return await new Promise((resolve) => {
    const watch = new MutationObserver(() => {
      if (seat.getAttribute('aria-checked') === want) {
        watch.disconnect();
        resolve(performance.now() - started);
      }
    });
    watch.observe(seat, {attributes: true, attributeFilter: ['aria-checked']});
    seat.dispatchEvent(new MouseEvent('click', {bubbles: true}));
  });
}"""


def say(line: str) -> None:
    print(line, flush=True)


def env_for(database_url: str, data_dir: Path) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "TESSERA_ENV_FILE": "/nonexistent",
        "SECRET_KEY": "bench-secret-key-0123456789-0123456789-0123456789",
        "DEBUG": "false",
        "SECURE_DATA_TRANSFER": "false",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "LOG_LEVEL": "ERROR",
        "DATA_DIR": str(data_dir),
        "DJANGO_SETTINGS_MODULE": "config.settings.base",
    }


def manage(env: dict[str, str], *args: str) -> None:
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True)


SEED = f"""
import django
django.setup()
from datetime import timedelta
from decimal import Decimal
from tessera.accounts.roles import Role
from tessera.accounts.services import user_register, user_role_grant
from tessera.accounts.models import User
from tessera.core.clock import utcnow
from tessera.events.domain.layout import build_layout
from tessera.events.services.shows import event_create, show_create
from tessera.events.services.tickets import ticket_booking_create_for_seats
from tessera.events.services.venues import hall_create, venue_create

admin = User.objects.create_superuser("bench-admin", "a@bench.local", {PASSWORD!r})
olga = user_register(username="organizer", email="o@bench.local", password={PASSWORD!r})
user_role_grant(user=olga, role=Role.ORGANIZER, actor=admin)
user_register(username="visitor", email="v@bench.local", password={PASSWORD!r})
venue = venue_create(actor=olga, name="Arena", capacity=6000, timezone="Europe/Madrid")
hall = hall_create(venue=venue, actor=olga, name="Main hall", seats=build_layout([
    {{"rows": "A-AX", "numbers": "1-{PER_ROW}", "category": "standard"}}]))
event = event_create(actor=olga, title="Big concert")
show = show_create(event=event, venue=venue, hall=hall, actor=olga,
    starts_at=utcnow() + timedelta(days=7), price=Decimal("30.00"))
sold = list(hall.seats.order_by("pk").values_list("pk", flat=True))[::3]
for i in range(0, len(sold), 100):
    ticket_booking_create_for_seats(show=show, seat_ids=sold[i:i + 100], customer=olga, actor=olga)
print(show.pk, hall.seats.count(), len(sold))
"""


def seed(env: dict[str, str]) -> tuple[int, int, int]:
    out = subprocess.run(
        [PYTHON, "-c", SEED], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    )
    show, seats, sold = (int(x) for x in out.stdout.split()[-3:])
    return show, seats, sold


def free_port() -> int:
    for port in PORTS:
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError("no free port in 8170-8179")


@contextmanager
def gunicorn(env: dict[str, str]) -> Iterator[int]:
    port = free_port()
    log = Path(env["DATA_DIR"]) / "gunicorn.log"
    args = [GUNICORN, "config.wsgi:application", "--bind", f"127.0.0.1:{port}"]
    args += ["--workers", "2", "--worker-class", "gthread", "--threads", "4"]
    process = subprocess.Popen(
        args, cwd=ROOT, env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise RuntimeError(f"gunicorn did not start (see {log})") from None
                time.sleep(0.2)
        yield port
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def measure(port: int, show_id: int) -> dict[str, Any]:
    from playwright.sync_api import sync_playwright

    base = f"http://127.0.0.1:{port}"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        try:
            page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
            page.goto(f"{base}/account/sign-in/?next=/")
            page.get_by_label("Username").fill("visitor")
            page.get_by_label("Password").fill(PASSWORD)
            page.get_by_role("button", name="Sign in").click()
            page.wait_for_url(f"{base}/")
            ready = []
            for load in range(LOADS + 1):
                page.goto(f"{base}/shows/{show_id}/", wait_until="commit")
                page.wait_for_selector("#seatmap[data-ready=true]", state="attached")
                mark = page.evaluate(TIMINGS)
                if load:  # the first load warms the server's layout cache and the browser's
                    ready.append(mark)
            seats = page.locator("rect.seat").count()
            free = page.evaluate(
                "() => Array.from(document.querySelectorAll('rect.seat'))"
                ".filter(s => !/is-taken|is-blocked/.test(s.getAttribute('class')))"
                ".map(s => Number(s.id.slice(5)))"
            )
            hold, release = [], []
            step = max(1, len(free) // (CLICKS + 1))
            for seat in free[::step][:CLICKS]:
                hold.append(page.evaluate(CLICK_AND_WAIT, [seat, "true"]))
                release.append(page.evaluate(CLICK_AND_WAIT, [seat, "false"]))
                page.wait_for_timeout(20)
        finally:
            browser.close()
    return {"ready": ready, "hold": hold, "release": release, "seats": seats}


def main() -> None:
    postgres = "--postgres" in sys.argv
    import tempfile

    with (
        benchdb.throwaway_database(sqlite=not postgres, run_id=f"seatmap_{os.getpid()}") as url,
        tempfile.TemporaryDirectory(prefix="tessera-seatmap-bench-") as folder,
    ):
        env = env_for(url, Path(folder))
        manage(env, "migrate", "--noinput", "-v", "0")
        manage(env, "collectstatic", "--noinput", "-v", "0")
        show_id, seats, sold = seed(env)
        with gunicorn(env) as port:
            result = measure(port, show_id)
    hold, release = result["hold"], result["release"]
    page, data, ready = ([row[i] for row in result["ready"]] for i in range(3))
    database = "postgresql" if postgres else "sqlite"
    load = os.getloadavg()[0]
    say(
        f"# tessera seat-map browser bench: {database}, gunicorn 2x4, Chromium headless, "
        f"{os.cpu_count()} cores, load average {load:.1f}"
    )
    say(
        f"seatmap_5000  {seats} seats drawn ({sold} sold) | ready p50 "
        f"{statistics.median(ready):.0f} ms, max {max(ready):.0f} ms over {len(ready)} loads "
        f"(target < 1000 ms; page received {statistics.median(page):.0f} ms, seat JSON "
        f"{statistics.median(data):.0f} ms) | hold round trip p50 {statistics.median(hold):.0f} ms, p95 "
        f"{percentile(hold, 95):.0f} ms over {len(hold)} clicks (target p50 < 150 ms) | "
        f"release p50 {statistics.median(release):.0f} ms"
    )


if __name__ == "__main__":
    main()
