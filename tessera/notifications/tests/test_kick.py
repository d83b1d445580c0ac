"""Kicks of a polling task from one process are coalesced: one at once, the rest as one send at
the end of the interval; none is lost."""

from __future__ import annotations

import threading
import time

import pytest

from tessera.notifications import broker


@pytest.fixture
def sent(monkeypatch):
    calls: list[tuple[str, float]] = []
    done = threading.Event()

    def fake_send(task_name: str) -> bool:
        calls.append((task_name, time.monotonic()))
        done.set()
        return True

    monkeypatch.setattr(broker, "_send_kick", fake_send)
    monkeypatch.setattr(broker, "_coalescer", broker._Coalescer())
    return calls


def wait_until(predicate, timeout=5.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and not predicate():
        time.sleep(0.01)
    return predicate()


def test_kicks_within_the_interval_become_one_trailing_send(settings, sent):
    settings.NOTIFICATIONS = {**settings.NOTIFICATIONS, "KICK_INTERVAL_SECONDS": 0.3}
    began = time.monotonic()
    for _ in range(50):
        assert broker.kick("relay") is True
    assert [name for name, _ in sent] == ["relay"]  # the first goes at once
    assert wait_until(lambda: len(sent) == 2)
    time.sleep(0.4)  # no third: the 49 others were one
    assert len(sent) == 2
    assert 0.25 <= sent[1][1] - began < 2.0


def test_each_task_is_coalesced_on_its_own(settings, sent):
    settings.NOTIFICATIONS = {**settings.NOTIFICATIONS, "KICK_INTERVAL_SECONDS": 0.3}
    broker.kick("relay")
    broker.kick("send")
    assert sorted(name for name, _ in sent) == ["relay", "send"]


def test_a_kick_after_a_quiet_interval_goes_at_once(settings, sent):
    settings.NOTIFICATIONS = {**settings.NOTIFICATIONS, "KICK_INTERVAL_SECONDS": 0.1}
    broker.kick("relay")
    time.sleep(0.15)
    broker.kick("relay")
    assert len(sent) == 2


def test_interval_zero_sends_every_kick(settings, sent):
    settings.NOTIFICATIONS = {**settings.NOTIFICATIONS, "KICK_INTERVAL_SECONDS": 0}
    for _ in range(5):
        broker.kick("relay")
    assert len(sent) == 5


def test_a_kick_that_the_broker_client_refuses_is_logged_not_raised(monkeypatch, caplog):
    """A closed producer pool raises RuntimeError, not a broker error: the kick runs after a
    commit, so raising would answer a booking that was written with a 500."""

    def closed_pool(*args, **kwargs):
        raise RuntimeError("Acquire on closed pool")

    monkeypatch.setattr(broker.current_app, "send_task", closed_pool)
    with caplog.at_level("ERROR", logger=broker.logger.name):
        assert broker._send_kick("relay") is False
    assert "could not ask a worker" in caplog.text
