"""Ticket bookings write their domain events (title, venue, organizer) like every booking."""

from datetime import timedelta

import pytest
import time_machine

from tessera.bookings.services.timed import bookings_advance_due
from tessera.events import errors
from tessera.events.models import Hold, SeatClaim
from tessera.events.services.holds import hold_create_for_seats
from tessera.events.services.shows import show_cancel
from tessera.events.services.tickets import ticket_booking_create_for_places
from tessera.events.tasks import events_purge_expired_holds_task
from tessera.notifications.models import OutboxMessage

pytestmark = pytest.mark.django_db


def test_a_ticket_booking_tells_the_customer_and_the_organizer(ga_show, customer, organizer):
    booking = ticket_booking_create_for_places(
        show=ga_show, quantity=3, customer=customer, actor=customer
    )
    message = OutboxMessage.objects.get()
    assert message.event_type == "booking.confirmed"
    payload = message.payload
    assert payload["reference"] == booking.reference
    assert payload["title"] == ga_show.event.title
    assert payload["notify_user_ids"] == [organizer.pk]
    assert payload["quantity"] == 3
    assert payload["timezone"] == ga_show.venue.timezone
    assert ga_show.venue.name in payload["location"]


def test_a_refused_ticket_booking_publishes_nothing(ga_show, customer):
    ticket_booking_create_for_places(show=ga_show, quantity=8, customer=customer, actor=customer)
    with pytest.raises(errors.CapacityExceeded):
        ticket_booking_create_for_places(
            show=ga_show, quantity=3, customer=customer, actor=customer
        )
    assert OutboxMessage.objects.count() == 1


def test_a_cancelled_show_cancels_each_booking_with_one_event(ga_show, customer, organizer):
    for _ in range(2):
        ticket_booking_create_for_places(
            show=ga_show, quantity=1, customer=customer, actor=customer
        )
    show_cancel(show=ga_show, actor=organizer, reason="Storm")
    cancelled = OutboxMessage.objects.filter(event_type="booking.cancelled")
    assert cancelled.count() == 2
    assert {m.payload["reason"] for m in cancelled} == {"Storm"}


def test_the_beat_task_purges_expired_holds_once(seated_show, seats, customer):
    hold = hold_create_for_seats(show=seated_show, seat_ids=[seats[0].pk], actor=customer)
    assert events_purge_expired_holds_task() == 0  # not expired yet: nothing to clean
    with time_machine.travel(hold.expires_at + timedelta(days=2), tick=False):
        assert events_purge_expired_holds_task() == 2  # its seat claim, then the hold itself
        assert events_purge_expired_holds_task() == 0
    assert not Hold.objects.exists()
    assert not SeatClaim.objects.exists()


def test_the_timed_job_completes_ticket_bookings_and_frees_their_places(ga_show, customer):
    booking = ticket_booking_create_for_places(
        show=ga_show, quantity=2, customer=customer, actor=customer
    )
    moved = bookings_advance_due(now=ga_show.ends_at)
    assert moved["complete"] == 1
    booking.refresh_from_db()
    assert booking.status == "completed"
    assert not booking.ticket.is_live
    message = OutboxMessage.objects.get(event_type="booking.completed")
    assert message.payload["title"] == ga_show.event.title
    assert bookings_advance_due(now=ga_show.ends_at) == dict.fromkeys(moved, 0)
