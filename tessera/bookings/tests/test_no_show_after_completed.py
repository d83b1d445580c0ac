"""A booking the background job completed may still be marked no-show by its provider, within
NO_SHOW_WINDOW_HOURS after its end; never a completed record that was never live."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from tessera.bookings.errors import IllegalTransition
from tessera.bookings.models import Booking, BookingStatusChange
from tessera.bookings.services.records import booking_record_completed
from tessera.bookings.services.status import booking_mark_no_show
from tessera.bookings.services.timed import bookings_advance_due
from tessera.bookings.tests.factories import make_time_booking
from tessera.core.errors import Conflict, PermissionDenied
from tessera.notifications.models import OutboxMessage

from .conftest import NOW

START = NOW + timedelta(hours=2)
END = START + timedelta(minutes=30)


@pytest.fixture
def completed(customer: Any, chair: Any) -> Booking:
    booking = make_time_booking(
        customer=customer, resources=[chair], start=START, end=END, status="confirmed"
    )
    BookingStatusChange.objects.create(
        booking=booking, from_status="", to_status="confirmed", at=NOW
    )
    bookings_advance_due(now=END + timedelta(minutes=1))
    booking.refresh_from_db()
    assert booking.status == "completed"
    return booking


def _history(booking: Booking) -> list[tuple[str, str]]:
    rows = BookingStatusChange.objects.filter(booking=booking).order_by("at", "pk")
    return [(r.from_status, r.to_status) for r in rows]


def test_the_provider_marks_a_completed_booking_no_show(completed, provider):
    events_before = OutboxMessage.objects.count()
    booking = booking_mark_no_show(
        booking_id=completed.pk, actor=provider, now=END + timedelta(hours=5)
    )
    assert booking.status == "no_show"
    assert _history(booking)[-1] == ("completed", "no_show")
    assert OutboxMessage.objects.count() == events_before + 1


def test_the_window_closes(completed, provider, settings):
    settings.TESSERA = {**settings.TESSERA, "NO_SHOW_WINDOW_HOURS": 24}
    edge = END + timedelta(hours=24)
    late = edge + timedelta(seconds=1)
    with pytest.raises(Conflict) as refused:
        booking_mark_no_show(booking_id=completed.pk, actor=provider, now=late)
    assert refused.value.code == "no_show_window_passed"
    completed.refresh_from_db()
    assert completed.status == "completed"
    assert _history(completed)[-1][1] == "completed"
    on_time = booking_mark_no_show(booking_id=completed.pk, actor=provider, now=edge)
    assert on_time.status == "no_show"


def test_the_customer_may_not(completed, customer):
    with pytest.raises(PermissionDenied):
        booking_mark_no_show(booking_id=completed.pk, actor=customer, now=END)
    completed.refresh_from_db()
    assert completed.status == "completed"


def test_a_served_walk_in_record_cannot_become_no_show(customer, provider, chair):
    served = booking_record_completed(
        resource_id=chair.pk,
        customer=customer,
        actor=provider,
        start=NOW - timedelta(hours=1),
        end=NOW - timedelta(minutes=30),
        now=NOW,
    )
    with pytest.raises(IllegalTransition):
        booking_mark_no_show(booking_id=served.pk, actor=provider, now=NOW)
    served.refresh_from_db()
    assert served.status == "completed"
