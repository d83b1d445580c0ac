"""Imports of one file at once (PostgreSQL, real parallel connections): each row is imported
once, and the others skip it (they wait for its record) instead of racing for its time and
reporting `slot_unavailable` on a room for one."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, time, timedelta
from typing import Any

import pytest
from django.db import connections

from tessera.accounts.roles import Role
from tessera.bookings.models import Booking
from tessera.imports.models import ImportedBooking
from tessera.imports.rows import row_parse
from tessera.imports.services import ImportReport, bookings_import
from tessera.scheduling.tests.factories import make_resource

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
THREADS = 4
ROWS = 12


def test_parallel_imports_of_one_file_import_each_row_once(make_user: Any) -> None:
    admin = make_user(Role.STAFF)
    customer = make_user(Role.CUSTOMER)
    room = make_resource(
        name="Room P",
        capacity=1,
        owner=make_user(Role.PROVIDER),
        hours=[(d, time(0), time(0)) for d in range(7)],
    )
    start = datetime(2030, 3, 4, 8, tzinfo=UTC)
    rows = [
        row_parse(
            {
                "external_id": f"r{i}",
                "customer": customer.username,
                "resource": str(room.pk),
                "start_time": (start + timedelta(hours=i)).isoformat(),
                "duration": "60",
            },
            number=i + 1,
        )
        for i in range(ROWS)
    ]
    barrier = threading.Barrier(THREADS)
    reports: list[ImportReport] = []
    errors: list[BaseException] = []

    def run() -> None:
        try:
            barrier.wait()
            reports.append(bookings_import(rows=rows, source="old", actor=admin))
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)

    assert not errors, errors
    assert sum(r.created for r in reports) == ROWS
    assert sum(r.skipped for r in reports) == ROWS * (THREADS - 1)
    assert not any(r.refused for r in reports), [r.refused for r in reports]
    assert ImportedBooking.objects.count() == ROWS
    assert Booking.objects.filter(customer=customer).count() == ROWS
