"""The only module that talks to the Celery broker.

Tasks are named, not imported (`send_task`), so services never import `tasks` (tasks import
services). Every failure to reach the broker is caught here: the database is the source of
truth and the relay hands the messages over again once the broker is back.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterable
from uuid import UUID

from celery import current_app
from django.conf import settings
from kombu.exceptions import KombuError

logger = logging.getLogger(__name__)

DELIVER_TASK = "notifications.outbox_deliver"
RELAY_TASK = "notifications.outbox_relay"
SEND_TASK = "notifications.deliveries_send"

# What a broker that is down, unreachable or refusing raises through kombu and its clients.
BROKER_ERRORS: tuple[type[BaseException], ...] = (KombuError, OSError, TimeoutError)
try:  # the Redis client's errors do not all derive from OSError
    from redis.exceptions import RedisError

    BROKER_ERRORS = (*BROKER_ERRORS, RedisError)
except ImportError:  # pragma: no cover - redis is a locked dependency
    pass


class BrokerUnavailable(Exception):
    """The broker refused or could not be reached; `published` were handed over before that."""

    def __init__(self, published: list[UUID], cause: BaseException) -> None:
        super().__init__(f"broker unavailable after {len(published)} message(s): {cause}")
        self.published = published


def publish_outbox_messages(event_ids: Iterable[UUID]) -> list[UUID]:
    """Hand one `outbox_deliver` task per message to the broker; the task id is the event id.

    Returns the ids handed over; raises `BrokerUnavailable` (with those already handed over)
    when the broker fails part-way.
    """
    published: list[UUID] = []
    policy = current_app.conf.task_publish_retry_policy
    try:
        with current_app.producer_or_acquire() as producer:
            for event_id in event_ids:
                current_app.send_task(
                    DELIVER_TASK,
                    args=[str(event_id)],
                    task_id=str(event_id),
                    producer=producer,
                    retry=True,
                    retry_policy=policy,
                )
                published.append(event_id)
    except BROKER_ERRORS as exc:
        raise BrokerUnavailable(published, exc) from exc
    return published


class _Coalescer:
    """At most one kick per task per interval (`NOTIFICATIONS["KICK_INTERVAL_SECONDS"]`; 0:
    every kick is sent) from this process. A kick asked for within the interval is sent once
    when it ends (a daemon timer), so the delay it adds is at most the interval; a process that
    exits meanwhile loses only that kick, and beat's relay runs anyway. Under load every
    booking asks for a relay run: one run per interval hands over all their messages, and a
    Celery message per booking would cost more than the booking."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._last: dict[str, float] = {}
        self._waiting: set[str] = set()

    def ask(self, task_name: str) -> bool:
        """True: send now. False: coalesced into a send at the end of the interval."""
        interval = settings.NOTIFICATIONS["KICK_INTERVAL_SECONDS"]
        with self._lock:
            now = time.monotonic()
            wait = self._last.get(task_name, -interval) + interval - now
            if wait <= 0:
                self._last[task_name] = now
                return True
            if task_name not in self._waiting:
                self._waiting.add(task_name)
                timer = threading.Timer(wait, self._send_later, args=(task_name,))
                timer.daemon = True
                timer.start()
            return False

    def _send_later(self, task_name: str) -> None:
        with self._lock:
            self._waiting.discard(task_name)
            self._last[task_name] = time.monotonic()
        _send_kick(task_name)


_coalescer = _Coalescer()


def kick(task_name: str) -> bool:
    """Ask a worker to run a polling task now instead of at the next beat tick.

    Best effort and quick: no retries. Beat runs the same task shortly anyway, so a failure
    only costs that delay; it is logged, never raised. Kicks close together are coalesced
    (`KICK_INTERVAL_SECONDS`): the polling task handles everything due when it runs.
    """
    if not _coalescer.ask(task_name):
        return True
    return _send_kick(task_name)


def _send_kick(task_name: str) -> bool:
    # It runs after a commit, inside the request that committed: whatever the broker client
    # raises (an unreachable broker, or kombu's "Acquire on closed pool" after its pool was
    # closed under it) must not turn a written booking into a 500.
    try:
        current_app.send_task(task_name, retry=False, expires=60)
    except BROKER_ERRORS as exc:
        logger.warning("could not reach the broker to run %s now: %s", task_name, exc)
        return False
    except Exception:
        logger.exception("could not ask a worker to run %s now", task_name)
        return False
    return True
