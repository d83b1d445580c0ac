"""Allocations follow their booking's status and their resource's capacity; pending bookings
expire; the exclusive flag follows the capacity."""

from datetime import timedelta

import pytest
from django.core.management import call_command

from tessera.bookings.errors import BookingRefused
from tessera.bookings.lifecycle import booking_transition
from tessera.bookings.models import Booking, BookingStatus, TimeAllocation
from tessera.bookings.services.create import booking_create_time
from tessera.bookings.services.status import booking_expire_overdue
from tessera.scheduling.services.resources import resource_update

from .conftest import NOW

pytestmark = pytest.mark.django_db
TOMORROW_10 = NOW.replace(day=2, hour=10)


def waitlisted(customer, resource) -> Booking:
    booking = Booking.objects.create(
        kind="time",
        status=BookingStatus.WAITLISTED,
        customer=customer,
        starts_at=TOMORROW_10,
        ends_at=TOMORROW_10 + timedelta(minutes=30),
    )
    TimeAllocation.objects.create(
        booking=booking,
        resource=resource,
        starts_at=booking.starts_at,
        ends_at=booking.ends_at,
        occupied_from=booking.starts_at,
        occupied_to=booking.ends_at,
        is_live=False,
        exclusive=resource.capacity == 1,
    )
    return booking


def test_a_waitlisted_booking_takes_its_time_when_it_becomes_live(customer, chair):
    booking = waitlisted(customer, chair)
    booking_transition(booking=booking, to=BookingStatus.CONFIRMED, actor=None)
    assert TimeAllocation.objects.get().is_live


def test_it_cannot_become_live_when_its_time_was_taken(customer, other_customer, chair):
    booking = waitlisted(customer, chair)
    booking_create_time(actor=other_customer, resource_ids=[chair.pk], start=TOMORROW_10)
    with pytest.raises(BookingRefused) as refused:
        booking_transition(booking=booking, to=BookingStatus.CONFIRMED, actor=None)
    assert refused.value.code == "slot_unavailable"
    assert not TimeAllocation.objects.get(booking=booking).is_live


@pytest.mark.parametrize("to", [BookingStatus.CANCELLED, BookingStatus.NO_SHOW])
def test_leaving_the_live_statuses_frees_the_time(customer, chair, to):
    booking = booking_create_time(actor=customer, resource_ids=[chair.pk], start=TOMORROW_10)
    booking_transition(booking=booking, to=to, actor=customer)
    assert not TimeAllocation.objects.get().is_live


def test_the_exclusive_flag_follows_the_capacity(customer, provider, room):
    booking_create_time(actor=customer, resource_ids=[room.pk], start=TOMORROW_10)
    assert not TimeAllocation.objects.get().exclusive
    resource_update(resource_id=room.pk, actor=provider, capacity=1)
    assert TimeAllocation.objects.get().exclusive
    resource_update(resource_id=room.pk, actor=provider, capacity=2)
    assert not TimeAllocation.objects.get().exclusive


def test_overdue_pending_bookings_expire_once(customer, chair, frozen):
    chair.approval_required = True
    chair.save()
    booking = booking_create_time(
        actor=customer, resource_ids=[chair.pk], start=NOW.replace(day=6, hour=10)
    )
    assert booking.status == "pending"
    assert booking_expire_overdue() == 0
    frozen.move_to(NOW + timedelta(hours=49))
    call_command("expire_bookings", stdout=open("/dev/null", "w"))  # noqa: SIM115
    booking.refresh_from_db()
    assert booking.status == "expired"
    assert not TimeAllocation.objects.get().is_live
    assert booking_expire_overdue() == 0
    assert [h.to_status for h in booking.history.all()] == ["pending", "expired"]
