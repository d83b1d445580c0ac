"""`manage.py import_bookings`: rows of the earlier systems become bookings through the booking
services — idempotent, with progress, refusing (and reporting) what would break an invariant."""

from __future__ import annotations

import csv
import json
from datetime import UTC, datetime, time
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from tessera.accounts.roles import Role
from tessera.bookings.models import Booking, BookingStatus
from tessera.events.models import Seat
from tessera.events.tests.factories import ReservedShowFactory, ShowFactory
from tessera.imports.models import ImportedBooking
from tessera.notifications.models import OutboxMessage
from tessera.scheduling.tests.factories import make_resource

pytestmark = pytest.mark.django_db
EVERY_DAY = [(d, time(8), time(20)) for d in range(7)]
FIELDS = [
    "external_id",
    "customer",
    "status",
    "resource",
    "start_time",
    "end_time",
    "show",
    "seats",
    "quantity",
    "notes",
]


def at(hour: int, day: int = 4) -> str:
    return datetime(2030, 3, day, hour, tzinfo=UTC).isoformat()


@pytest.fixture
def admin(make_user: Any) -> Any:
    user = make_user(Role.STAFF)
    user.is_superuser = True
    user.save()
    return user


@pytest.fixture
def world(admin: Any, customer: Any, make_user: Any) -> dict[str, Any]:
    owner = make_user(Role.PROVIDER)
    organizer = make_user(Role.ORGANIZER)
    return {
        "desk": make_resource(name="Desk", capacity=1, owner=owner, hours=EVERY_DAY),
        "room": make_resource(name="Room A", capacity=4, owner=owner, hours=EVERY_DAY),
        "ga": ShowFactory.create(event__owner=organizer, capacity=3),
        "seated": ReservedShowFactory.create(event__owner=organizer),
        "customer": customer,
    }


def write_csv(path: Path, rows: list[dict[str, Any]]) -> Path:
    with path.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=FIELDS)
        writer.writeheader()
        for row in rows:
            writer.writerow(row)
    return path


def run(path: Path, *args: str) -> tuple[int, str, str]:
    out, err = StringIO(), StringIO()
    try:
        call_command("import_bookings", str(path), "--source", "old", *args, stdout=out, stderr=err)
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    return code, out.getvalue(), err.getvalue()


def good_rows(world: dict[str, Any]) -> list[dict[str, Any]]:
    who = world["customer"].username
    return [
        {
            "external_id": "t1",
            "customer": who,
            "status": "active",
            "resource": "Room A",
            "start_time": at(9),
            "end_time": at(10),
        },
        {
            "external_id": "t2",
            "customer": world["customer"].email,
            "status": "CANCELLED",
            "resource": world["desk"].pk,
            "start_time": at(11),
            "end_time": at(12),
        },
        {
            "external_id": "g1",
            "customer": who,
            "status": "CONFIRMED",
            "show": world["ga"].pk,
            "quantity": 2,
        },
        {
            "external_id": "s1",
            "customer": who,
            "status": "confirmed",
            "show": world["seated"].pk,
            "seats": "A1|A2",
        },
    ]


def test_a_csv_is_imported_through_the_services_and_a_second_run_adds_nothing(world, tmp_path):
    path = write_csv(tmp_path / "old.csv", good_rows(world))

    code, out, err = run(path, "--every", "2")

    assert (code, err) == (0, "")
    assert "Importing 4 rows from old." in out
    assert "2/4 (50%)" in out and "4/4 (100%)" in out
    assert "Done: 4 imported, 0 already imported, 0 refused." in out
    by_ref: dict[str, Booking] = {
        i.external_id: i.booking
        for i in ImportedBooking.objects.select_related("booking")
        if i.booking is not None
    }
    assert by_ref["t1"].status == BookingStatus.CONFIRMED
    assert by_ref["t2"].status == BookingStatus.CANCELLED
    assert by_ref["g1"].status == BookingStatus.CONFIRMED
    seats = Seat.objects.filter(hall=world["seated"].hall, row="A", number__in=[1, 2])
    assert sorted(by_ref["s1"].seat_claims.values_list("seat_id", flat=True)) == sorted(
        s.pk for s in seats
    )
    # the same outbox events as an API booking (created/confirmed, and the cancellation)
    assert OutboxMessage.objects.filter(aggregate_id=by_ref["t2"].reference).count() >= 2

    bookings, messages = Booking.objects.count(), OutboxMessage.objects.count()
    code, out, _ = run(path)
    assert code == 0
    assert "Done: 0 imported, 4 already imported, 0 refused." in out
    assert (Booking.objects.count(), OutboxMessage.objects.count()) == (bookings, messages)


def test_rows_that_would_break_an_invariant_are_refused_reported_and_leave_nothing(world, tmp_path):
    who = world["customer"].username
    rows = [
        {
            "external_id": "a",
            "customer": who,
            "resource": "Desk",
            "start_time": at(9),
            "end_time": at(10),
        },
        {
            "external_id": "b",
            "customer": who,
            "resource": "Desk",
            "start_time": at(9),
            "end_time": at(10),
        },  # capacity 1: taken by a
        {"external_id": "c", "customer": who, "show": world["seated"].pk, "seats": "B1"},
        {"external_id": "d", "customer": who, "show": world["seated"].pk, "seats": "B1|B2"},
        {"external_id": "e", "customer": who, "show": world["ga"].pk, "quantity": 4},
        {
            "external_id": "f",
            "customer": who,
            "resource": "Desk",
            "start_time": at(22),
            "end_time": at(23),
        },  # closed at night
        {
            "external_id": "g",
            "customer": "nobody",
            "resource": "Desk",
            "start_time": at(12),
            "end_time": at(13),
        },
        {
            "external_id": "h",
            "customer": who,
            "status": "expired",
            "resource": "Desk",
            "start_time": at(14),
            "end_time": at(15),
        },
        {
            "external_id": "i",
            "customer": who,
            "resource": "Desk",
            "start_time": "tomorrow",
            "end_time": at(15),
        },
        {
            "external_id": "j",
            "customer": who,
            "resource": "Desk",
            "start_time": "2020-03-02T09:00Z",
            "end_time": "2020-03-02T10:00Z",
            "status": "confirmed",
        },  # in the past
    ]
    path = write_csv(tmp_path / "bad.csv", rows)
    report = tmp_path / "refused.json"

    code, out, err = run(path, "--report", str(report))

    assert code == 1
    assert "Done: 2 imported, 0 already imported, 8 refused." in out
    refused = {r["external_id"]: r["code"] for r in json.loads(report.read_text())}
    assert refused["b"] == "slot_unavailable"
    assert refused["d"] == "seat_taken"
    assert refused["e"] == "capacity_exceeded"
    assert refused["f"] == "outside_availability"
    assert refused["g"] == "unknown_customer"
    assert refused["h"] == "status_not_imported"
    assert refused["i"] == "invalid_time"
    assert "row 2 (external_id b): slot_unavailable" in err
    assert set(ImportedBooking.objects.values_list("external_id", flat=True)) == {"a", "c"}
    assert Booking.objects.count() == 2


def test_the_earlier_systems_json_shapes_are_understood(world, tmp_path):
    customer = world["customer"]
    event_show = ShowFactory.create(capacity=50)
    rows = [
        # Alacademy: {"resource", "user", "start_time", "end_time"} with its status names
        {
            "id": 7,
            "resource": world["room"].pk,
            "user": customer.pk,
            "status": "active",
            "start_time": "2030-03-04T10:00:00Z",
            "end_time": "2030-03-04T12:00:00Z",
        },
        {
            "id": 8,
            "resource": world["room"].pk,
            "user": customer.pk,
            "status": "completed",
            "start_time": "2020-03-04T10:00:00Z",
            "end_time": "2020-03-04T12:00:00Z",
        },
        # Event Booking Platform: {"user", "event"}, status in capitals
        {"id": 1, "user": customer.pk, "event": event_show.event_id, "status": "CONFIRMED"},
        # Event Booking System (cinemas): {"show_id", "seat_ids"}
        {
            "id": "x9",
            "user": customer.username,
            "show_id": world["seated"].pk,
            "seat_ids": [Seat.objects.filter(hall=world["seated"].hall).earliest("pk").pk],
        },
    ]
    path = tmp_path / "old.json"
    path.write_text(json.dumps({"bookings": rows}))

    code, _, err = run(path)

    assert (code, err) == (0, ""), err
    statuses = dict(ImportedBooking.objects.values_list("external_id", "booking__status"))
    assert statuses == {"7": "confirmed", "8": "completed", "1": "confirmed", "x9": "confirmed"}


def test_a_dry_run_checks_every_row_and_writes_nothing(world, tmp_path):
    path = write_csv(tmp_path / "old.csv", good_rows(world))

    code, out, _ = run(path, "--dry-run")

    assert code == 0
    assert "Done: 4 would be imported" in out
    assert not Booking.objects.exists()
    assert not ImportedBooking.objects.exists()
    assert not OutboxMessage.objects.exists()


@pytest.mark.parametrize(
    ("name", "text"),
    [("broken.json", "{not json"), ("list.json", '{"rows": 3}'), ("data.xml", "<a/>")],
)
def test_an_unreadable_file_exits_2_and_imports_nothing(world, tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text)

    code, _, err = run(path)

    assert code == 2
    assert "Cannot read" in err
    assert not Booking.objects.exists()


def test_without_a_superuser_or_named_staff_it_refuses_to_start(customer, tmp_path):
    from django.core.management.base import CommandError

    path = tmp_path / "x.csv"
    path.write_text("external_id,customer\n")
    with pytest.raises(CommandError, match="No active superuser"):
        call_command("import_bookings", str(path), "--source", "old")
    with pytest.raises(CommandError, match="No active staff user"):
        call_command("import_bookings", str(path), "--source", "old", "--as", customer.username)
