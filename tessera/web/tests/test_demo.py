"""The pages' demo data: alice has something in every tab, and loading twice adds nothing."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command

from tessera.bookings.models import Booking, BookingStatus

pytestmark = pytest.mark.django_db


def test_seed_demo_gives_alice_a_cancelled_and_a_waiting_booking(
    settings: Any, tmp_path: Any
) -> None:
    settings.DATA_DIR = tmp_path
    call_command("seed_demo", stdout=StringIO())
    statuses = set(
        Booking.objects.filter(customer__username="alice").values_list("status", flat=True)
    )
    assert {BookingStatus.CANCELLED, BookingStatus.WAITLISTED, BookingStatus.CONFIRMED} <= statuses
    count = Booking.objects.count()
    out = StringIO()
    call_command("seed_demo", stdout=out)
    assert Booking.objects.count() == count
    assert "demo for the pages: alice's cancelled and waiting bookings (0 new)" in out.getvalue()
