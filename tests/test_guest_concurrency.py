"""Guests racing on PostgreSQL: for one time (one booking wins, the others are refused with
`slot_unavailable` and leave nothing behind) and on one emailed confirmation link (it is spent
once and the booking is confirmed once)."""

from __future__ import annotations

from datetime import UTC, datetime, time
from typing import Any

import pytest
import time_machine

from tessera.bookings.models import Booking, BookingStatus, BookingStatusChange
from tessera.core.errors import DomainError
from tessera.scheduling.tests.factories import make_resource
from tessera.web.models import GuestCustomer, SignedLinkUse
from tessera.web.services.guests import guest_booking_confirm_email, guest_booking_create
from tessera.web.services.links import CONFIRM, link_read, link_token

from .races import race

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

NOW = datetime(2027, 3, 1, 8, 0, tzinfo=UTC)
START = datetime(2027, 3, 2, 10, 0, tzinfo=UTC)
CLIENTS = 8


@pytest.fixture
def chair() -> Any:
    return make_resource(
        name="Chair", guest_booking=True, hours=[(d, time(9), time(17)) for d in range(7)]
    )


def _attempt(work: Any) -> Any:
    try:
        return work()
    except DomainError as exc:
        return exc


def test_guests_racing_for_one_time_get_one_booking(chair: Any) -> None:
    with time_machine.travel(NOW, tick=False):
        results = race(
            CLIENTS,
            lambda i: _attempt(
                lambda: guest_booking_create(
                    resource_id=chair.pk,
                    start=START,
                    name=f"Guest {i}",
                    email=f"guest{i}@example.com",
                    phone="+351912345678",
                )
            ),
        )
    won = [r for r in results if isinstance(r, Booking)]
    lost = [r for r in results if isinstance(r, DomainError)]
    assert len(won) == 1 and len(lost) == CLIENTS - 1
    assert {exc.code for exc in lost} == {"slot_unavailable"}
    assert Booking.objects.count() == 1
    assert BookingStatusChange.objects.count() == 1
    # A refused booking leaves no guest behind either (one transaction with the booking).
    assert GuestCustomer.objects.count() == 1


def test_one_confirmation_link_used_at_once_confirms_once(chair: Any) -> None:
    with time_machine.travel(NOW, tick=True):
        booking = guest_booking_create(
            resource_id=chair.pk,
            start=START,
            name="Gil",
            email="gil@example.com",
            phone="+351912345678",
        )
        token = link_token(booking=booking, action=CONFIRM)
        results = race(
            CLIENTS,
            lambda i: _attempt(
                lambda: guest_booking_confirm_email(link=link_read(token=token, action=CONFIRM))
            ),
        )
    assert all(isinstance(r, Booking) for r in results), results
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CONFIRMED
    assert SignedLinkUse.objects.count() == 1
    assert BookingStatusChange.objects.filter(to_status=BookingStatus.CONFIRMED).count() == 1
