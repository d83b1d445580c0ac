"""The set-based steps shared by the job and by erasure. Each works on a list of booking ids
the caller has locked, inside the caller's transaction."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from django.contrib.auth.hashers import make_password
from django.db.models import F

from tessera.accounts.models import User
from tessera.bookings.models import Booking, BookingStatusChange, TimeAllocation
from tessera.events.models import SeatClaim, TicketBooking

from ..models import ArchivedBooking

ANONYMOUS_USERNAME = "anonymous-customer"


def anonymous_customer() -> User:
    """The one placeholder every anonymised booking points at (inactive, cannot log in)."""
    user, _ = User.objects.get_or_create(
        username=ANONYMOUS_USERNAME,
        defaults={"is_active": False, "password": make_password(None)},
    )
    return user


def bookings_anonymise(*, ids: Sequence[int]) -> int:
    """Scrub the personal data of the bookings, keep what statistics need.

    Scrubbed: the customer (re-pointed to `anonymous_customer`), who made or cancelled it, the
    notes, the cancel reason, the reasons of its history and the customer as actor there. Kept:
    kind, status, times, price, what it held (resources, show, seats) and the history's
    transitions and times. Three UPDATEs.
    """
    anon = anonymous_customer()
    BookingStatusChange.objects.filter(
        booking_id__in=ids, actor_id=F("booking__customer_id")
    ).update(actor=None)
    BookingStatusChange.objects.filter(booking_id__in=ids).update(reason="")
    return Booking.objects.filter(pk__in=ids).update(
        customer=anon, created_by=None, cancelled_by=None, notes="", cancel_reason=""
    )


def bookings_archive(*, ids: Sequence[int], now: datetime) -> int:
    """Move the bookings to `ArchivedBooking` (a snapshot each) and out of the live tables."""
    bookings = list(Booking.objects.filter(pk__in=ids).order_by("pk"))
    allocations = _grouped(
        TimeAllocation.objects.filter(booking_id__in=ids).values(
            "booking_id", "resource_id", "resource__name", "starts_at", "ends_at"
        )
    )
    tickets = {
        t["booking_id"]: t
        for t in TicketBooking.objects.filter(booking_id__in=ids).values(
            "booking_id", "show_id", "show__event__title", "quantity"
        )
    }
    seats = _grouped(
        SeatClaim.objects.filter(booking_id__in=ids).values("booking_id", "seat_id", "price")
    )
    history = _grouped(
        BookingStatusChange.objects.filter(booking_id__in=ids)
        .order_by("at", "id")
        .values("booking_id", "from_status", "to_status", "actor_id", "reason", "at")
    )
    ArchivedBooking.objects.bulk_create(
        ArchivedBooking(
            booking_id=b.pk,
            reference=b.reference,
            kind=b.kind,
            status=b.status,
            customer_id=b.customer_id,
            starts_at=b.starts_at,
            ends_at=b.ends_at,
            created_at=b.created_at,
            archived_at=now,
            snapshot=_jsonable(
                {
                    "booking": {
                        "id": b.pk,
                        "reference": b.reference,
                        "kind": b.kind,
                        "status": b.status,
                        "customer_id": b.customer_id,
                        "created_by_id": b.created_by_id,
                        "starts_at": b.starts_at,
                        "ends_at": b.ends_at,
                        "notes": b.notes,
                        "price": b.price,
                        "currency": b.currency,
                        "cancelled_at": b.cancelled_at,
                        "cancelled_by_id": b.cancelled_by_id,
                        "cancel_reason": b.cancel_reason,
                        "created_at": b.created_at,
                        "updated_at": b.updated_at,
                    },
                    "allocations": allocations.get(b.pk, []),
                    "ticket": tickets.get(b.pk),
                    "seats": seats.get(b.pk, []),
                    "history": history.get(b.pk, []),
                }
            ),
        )
        for b in bookings
    )
    bookings_delete(ids=ids)
    return len(bookings)


def bookings_delete(*, ids: Sequence[int]) -> int:
    """Delete the bookings and what hangs off them (allocations, ticket, seat claims, history).

    Only the retention job and erasure call this; no API endpoint deletes a booking.
    """
    deleted, _ = Booking.objects.filter(pk__in=ids).delete()
    return len(ids) if deleted else 0


def _grouped(rows: Any) -> dict[int, list[dict[str, Any]]]:
    out: dict[int, list[dict[str, Any]]] = {}
    for row in rows:
        booking_id = row.pop("booking_id")
        out.setdefault(booking_id, []).append(row)
    return out


def _jsonable(value: Any) -> Any:
    """Datetimes and decimals as ISO text and strings: the snapshot is plain JSON."""
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    if isinstance(value, datetime):
        return value.isoformat()
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)
