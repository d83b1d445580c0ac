"""Importing bookings of an earlier system through the same services as the API.

`bookings_import(rows=..., source=..., actor=...)` takes parsed rows (`rows.py`) and, for each,
in one transaction: skips it if (source, external id) was imported before; finds the customer,
resources, show or event and seats; creates the booking with the booking services (so every
invariant — capacity, opening hours, seats taken, show capacity — is checked exactly as for an
API request, and the outbox gets its events); cancels it if it was cancelled; and records the
row. A row the services refuse leaves nothing behind and is reported with the refusal's code.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import Q

from tessera.bookings.models import Booking
from tessera.bookings.services.create import booking_create_time
from tessera.bookings.services.records import booking_record_completed
from tessera.bookings.services.status import booking_cancel
from tessera.core.clock import utcnow
from tessera.core.errors import DomainError
from tessera.events.models import Event, Seat, Show
from tessera.events.services.tickets import (
    ticket_booking_create_for_event,
    ticket_booking_create_for_places,
    ticket_booking_create_for_seats,
)
from tessera.scheduling.models import Resource

from .models import ImportedBooking
from .rows import ImportRow, RowRefused

CANCEL_REASON = "Imported as cancelled from an earlier system."
SEAT_LABEL = re.compile(r"^([A-Za-z]{1,8})-?(\d{1,5})$")


@dataclass
class Refusal:
    number: int
    external_id: str
    code: str
    message: str


@dataclass
class ImportReport:
    created: int = 0
    skipped: int = 0
    refused: list[Refusal] = field(default_factory=list)

    @property
    def seen(self) -> int:
        return self.created + self.skipped + len(self.refused)


class _DryRun(Exception):
    """Raised to roll back a row that was imported only to see whether it would be."""


def bookings_import(
    *,
    rows: Iterable[ImportRow | Refusal],
    source: str,
    actor: Any,
    dry_run: bool = False,
    now: datetime | None = None,
    progress: Callable[[ImportReport], None] | None = None,
    every: int = 100,
) -> ImportReport:
    """Import every row (see the module docstring); `dry_run` checks each row in a transaction
    that is rolled back. `progress(report)` is called every `every` rows and at the end."""
    now = now or utcnow()
    report = ImportReport()
    for row in rows:
        if isinstance(row, Refusal):
            report.refused.append(row)
        else:
            try:
                created = _import_one(row, source=source, actor=actor, dry_run=dry_run, now=now)
            except RowRefused as exc:
                report.refused.append(Refusal(row.number, row.external_id, exc.code, exc.message))
            else:
                if created:
                    report.created += 1
                else:
                    report.skipped += 1
        if progress and report.seen % every == 0:
            progress(report)
    if progress and report.seen % every:
        progress(report)
    return report


def _import_one(row: ImportRow, *, source: str, actor: Any, dry_run: bool, now: datetime) -> bool:
    """True: imported (or would be); False: imported before. Raises RowRefused.

    The row's record is inserted first: a parallel import of the same row waits on its unique
    index until this transaction ends, then finds it taken and skips the row, instead of
    racing for the same time or seats and reporting a refusal."""
    try:
        with transaction.atomic():
            if ImportedBooking.objects.filter(source=source, external_id=row.external_id).exists():
                return False
            record = ImportedBooking.objects.create(
                source=source, external_id=row.external_id, imported_at=now
            )
            booking = _create(row, actor=actor, now=now)
            if row.status == "cancelled":
                booking = booking_cancel(
                    booking_id=booking.pk, actor=actor, reason=CANCEL_REASON, now=now
                )
            record.booking = booking
            record.save(update_fields=["booking"])
            if dry_run:
                raise _DryRun
    except _DryRun:
        return True
    except DomainError as exc:
        raise RowRefused(exc.code, exc.message) from exc
    except IntegrityError:
        return False  # a parallel import recorded this row first
    return True


def _create(row: ImportRow, *, actor: Any, now: datetime) -> Booking:
    customer = _customer(row.customer)
    if row.is_time:
        return _create_time(row, customer=customer, actor=actor, now=now)
    if row.status == "completed":
        raise RowRefused("status_not_imported", "Only time bookings are imported as completed.")
    if row.event is not None:
        event = Event.objects.filter(pk=row.event).first()
        if event is None:
            raise RowRefused("unknown_event", f"No event {row.event}.")
        return ticket_booking_create_for_event(
            event=event,
            customer=customer,
            actor=actor,
            quantity=row.quantity,
            notes=row.notes,
            now=now,
        )
    show = (
        Show.objects.select_related("event", "venue").filter(pk=row.show).first()
        if row.show is not None
        else None
    )
    if show is None:
        raise RowRefused("unknown_show", f"No show {row.show}.")
    if row.seats:
        return ticket_booking_create_for_seats(
            show=show,
            seat_ids=_seat_ids(show, row.seats),
            customer=customer,
            actor=actor,
            notes=row.notes,
            now=now,
        )
    return ticket_booking_create_for_places(
        show=show,
        quantity=row.quantity,
        customer=customer,
        actor=actor,
        notes=row.notes,
        waitlist=row.status == "waitlisted",
        now=now,
    )


def _create_time(row: ImportRow, *, customer: Any, actor: Any, now: datetime) -> Booking:
    if row.start is None or row.end is None:  # rows.py refuses such rows already
        raise RowRefused("missing_field", "start_time and end_time are required.")
    resource_ids = _resource_ids(row.resources)
    if row.status == "completed":
        if len(resource_ids) != 1:
            raise RowRefused("status_not_imported", "A completed gig is not imported.")
        return booking_record_completed(
            resource_id=resource_ids[0],
            customer=customer,
            actor=actor,
            start=row.start,
            end=row.end,
            notes=row.notes,
            now=now,
        )
    if row.start < now:
        raise RowRefused(
            "in_the_past",
            f"A {row.status} booking that starts in the past cannot hold time; "
            "import it as completed, or leave it out.",
        )
    return booking_create_time(
        actor=actor,
        resource_ids=resource_ids,
        start=row.start,
        end=row.end,
        customer=customer,
        notes=row.notes,
        waitlist=row.status == "waitlisted",
        now=now,
    )


def _customer(value: str) -> Any:
    users = get_user_model().objects
    if value.isdigit():
        match = users.filter(pk=int(value)).first()
    else:
        match = users.filter(Q(username__iexact=value) | Q(email__iexact=value)).first()
    if match is None or not match.is_active:
        raise RowRefused("unknown_customer", f"No active user {value!r}: create the account first.")
    return match


def _resource_ids(values: list[str]) -> list[int]:
    ids: list[int] = []
    for value in values:
        query = Q(pk=int(value)) if value.isdigit() else Q(name__iexact=value)
        found = list(Resource.objects.filter(query).values_list("pk", flat=True)[:2])
        if len(found) != 1:
            problem = "is ambiguous" if found else "does not exist"
            raise RowRefused("unknown_resource", f"Resource {value!r} {problem}.")
        ids.append(found[0])
    return ids


def _seat_ids(show: Show, values: list[str]) -> list[int]:
    ids: list[int] = []
    for value in values:
        if value.isdigit():
            ids.append(int(value))
            continue
        label = SEAT_LABEL.match(value)
        seat = (
            Seat.objects.filter(
                hall_id=show.hall_id, row__iexact=label.group(1), number=int(label.group(2))
            ).first()
            if label and show.hall_id
            else None
        )
        if seat is None:
            raise RowRefused("unknown_seat", f"No seat {value!r} in this show's hall.")
        ids.append(seat.pk)
    return ids
