"""The retention job run by several workers at once (PostgreSQL, threads with their own
connections): every booking is handled exactly once, nobody fails, nobody waits for ever."""

from __future__ import annotations

from typing import Any

import pytest

from tessera.bookings.models import Booking
from tessera.retention.models import ArchivedBooking
from tessera.retention.policy import RetentionPolicy
from tessera.retention.services.apply import retention_apply
from tests.races import race

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("action", ["archive", "anonymise", "delete"])
def test_four_workers_at_once_handle_each_booking_once(make_booking: Any, action: str) -> None:
    ids = {make_booking(800).pk for _ in range(40)}
    keep = make_booking(10).pk
    policy = RetentionPolicy(after_days=730, action=action, batch_size=5)  # type: ignore[arg-type]

    results = race(4, lambda i: retention_apply(policy=policy).processed)

    assert sum(results) == 40
    if action == "archive":
        assert set(ArchivedBooking.objects.values_list("booking_id", flat=True)) == ids
    if action == "anonymise":
        assert not Booking.objects.filter(pk__in=ids).exclude(notes="").exists()
    else:
        assert not Booking.objects.filter(pk__in=ids).exists()
    assert Booking.objects.get(pk=keep).notes == "allergic"
    assert retention_apply(policy=policy).processed == 0
