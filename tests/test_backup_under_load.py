"""`manage.py backup` while bookings are being written, then `manage.py restore` into a new
database: every booking committed before the backup began is there, with its status history
and its outbox messages. Runs on SQLite (the online backup API) and on PostgreSQL (pg_dump).
"""

from __future__ import annotations

import sqlite3
import threading
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, connections

from tessera.accounts.roles import Role
from tessera.accounts.tests.factories import UserFactory
from tessera.bookings.models import Booking, BookingStatusChange
from tessera.bookings.services.create import booking_create_time
from tessera.notifications.models import OutboxMessage
from tessera.scheduling.tests.factories import make_resource

pytestmark = pytest.mark.django_db(transaction=True)

ALL_DAY = [(d, time(0), time(0)) for d in range(7)]
BEFORE_BACKUP = 15  # bookings committed before the backup starts
AFTER_BACKUP = 10  # bookings the writer still commits after it returned


class Writer(threading.Thread):
    """Books consecutive half hours, one transaction each, until told to stop."""

    def __init__(self, resource_id: int, customer: Any) -> None:
        super().__init__(daemon=True)
        self.resource_id, self.customer = resource_id, customer
        self.committed: list[int] = []
        self.lock = threading.Lock()
        self.stop = threading.Event()
        self.error: BaseException | None = None

    def count(self) -> int:
        with self.lock:
            return len(self.committed)

    def run(self) -> None:
        base = datetime.now(tz=UTC).replace(minute=0, second=0, microsecond=0) + timedelta(days=2)
        try:
            for i in range(10_000):
                if self.stop.is_set():
                    return
                booking = booking_create_time(
                    actor=self.customer,
                    resource_ids=[self.resource_id],
                    start=base + timedelta(minutes=30 * i),
                    duration=30,
                )
                with self.lock:  # booking_create_time returns after its commit
                    self.committed.append(booking.pk)
        except BaseException as exc:
            self.error = exc
        finally:
            connection.close()


def wait_for(writer: Writer, count: int) -> None:
    deadline = datetime.now(tz=UTC) + timedelta(seconds=60)
    while writer.count() < count:
        assert writer.is_alive(), writer.error
        assert datetime.now(tz=UTC) < deadline, f"only {writer.count()} bookings written"
        threading.Event().wait(0.02)


@pytest.fixture
def restored_target(tmp_path: Path) -> Iterator[str]:
    """Where the restore goes: a new SQLite file, or a new PostgreSQL database."""
    if connection.vendor == "sqlite":
        yield str(tmp_path / "restored.sqlite3")
        return
    import psycopg

    name = f"tessera_restore_{uuid.uuid4().hex[:10]}"
    params = admin_params()
    with psycopg.connect(**params, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield name
    finally:
        with psycopg.connect(**params, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def admin_params(dbname: str = "postgres") -> dict[str, Any]:
    settings = connections["default"].settings_dict
    params = {
        "host": settings.get("HOST"),
        "port": settings.get("PORT"),
        "user": settings.get("USER"),
        "password": settings.get("PASSWORD"),
        "dbname": dbname,
    }
    return {k: v for k, v in params.items() if v}


def query_restored(target: str, sql: str) -> list[tuple[Any, ...]]:
    if connection.vendor == "sqlite":
        lite = sqlite3.connect(target)
        try:
            return lite.execute(sql).fetchall()
        finally:
            lite.close()
    import psycopg

    with psycopg.connect(**admin_params(target)) as pg:
        return pg.execute(sql).fetchall()


def test_backup_while_writing_restores_every_booking_committed_before_it(
    tmp_path: Path, restored_target: str
) -> None:
    owner = UserFactory(role=Role.PROVIDER)
    chair = make_resource(capacity=1, hours=ALL_DAY, default_duration=30, owner=owner)
    writer = Writer(chair.pk, UserFactory(role=Role.CUSTOMER))
    writer.start()
    try:
        wait_for(writer, BEFORE_BACKUP)
        with writer.lock:
            before = list(writer.committed)
        backup = tmp_path / "tessera.backup"
        call_command("backup", str(backup))
        wait_for(writer, len(before) + AFTER_BACKUP)  # the service kept writing throughout
    finally:
        writer.stop.set()
        writer.join(timeout=60)
    assert writer.error is None, writer.error

    call_command("restore", str(backup), "--target", restored_target)

    ids = ", ".join(str(pk) for pk in before)
    bookings = {
        row[0]: row[1]
        for row in query_restored(
            restored_target,
            f"SELECT id, reference FROM {Booking._meta.db_table} WHERE id IN ({ids})",  # noqa: S608
        )
    }
    assert set(bookings) == set(before)
    history = query_restored(
        restored_target,
        f"SELECT DISTINCT booking_id FROM {BookingStatusChange._meta.db_table} "  # noqa: S608
        f"WHERE booking_id IN ({ids})",
    )
    assert {row[0] for row in history} == set(before)
    keys = ", ".join(f"'{reference}'" for reference in bookings.values())
    outbox = query_restored(
        restored_target,
        f"SELECT DISTINCT aggregate_id FROM {OutboxMessage._meta.db_table} "  # noqa: S608
        f"WHERE aggregate = 'booking' AND aggregate_id IN ({keys})",
    )
    assert {row[0] for row in outbox} == set(bookings.values())  # aggregate_id: the reference
    # What the backup holds is a snapshot: the restored rows are the live rows of that moment.
    live = Booking.objects.filter(pk__in=before).values_list("id", "reference")
    assert dict(live) == bookings


def test_restore_refuses_a_target_with_tables_unless_forced(
    tmp_path: Path, restored_target: str
) -> None:
    UserFactory(role=Role.CUSTOMER)
    backup = tmp_path / "tessera.backup"
    call_command("backup", str(backup))
    call_command("restore", str(backup), "--target", restored_target)
    with pytest.raises(CommandError, match="already has tables"):
        call_command("restore", str(backup), "--target", restored_target)
    call_command("restore", str(backup), "--target", restored_target, "--force")
    users = query_restored(restored_target, "SELECT count(*) FROM accounts_user")
    assert users[0][0] >= 1


def test_restore_of_a_file_that_is_no_backup_fails_cleanly(
    tmp_path: Path, restored_target: str
) -> None:
    missing = tmp_path / "nothing-here"
    with pytest.raises(CommandError, match="no such backup file"):
        call_command("restore", str(missing), "--target", restored_target)
    garbage = tmp_path / "garbage.backup"
    garbage.write_bytes(b"this is not a database" * 100)
    with pytest.raises(CommandError):
        call_command("restore", str(garbage), "--target", restored_target)


@pytest.mark.postgres
def test_backup_without_the_postgresql_client_says_what_to_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("tessera.core.backup.shutil.which", lambda _name: None)
    with pytest.raises(CommandError, match="pg_dump not found: install the PostgreSQL client"):
        call_command("backup", str(tmp_path / "x.dump"))
    assert not (tmp_path / "x.dump").exists()
    assert not (tmp_path / "x.dump.partial").exists()
