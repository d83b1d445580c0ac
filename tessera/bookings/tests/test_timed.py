"""Time-driven transitions and reminders: each due booking moves once (history row, outbox
event), a second run changes nothing, batches are bounded."""

from datetime import timedelta

import pytest
from django.conf import settings

from tessera.bookings.models import Booking, BookingStatusChange
from tessera.bookings.services.timed import bookings_advance_due, bookings_remind_due
from tessera.bookings.tasks import bookings_advance_due_task, bookings_remind_due_task
from tessera.notifications.models import OutboxMessage

from .conftest import NOW, at

pytestmark = pytest.mark.django_db
URL = "/api/bookings/"


def book(api, resource, day: int, hour: int) -> dict:
    response = api.post(URL, {"resource": resource.pk, "start_time": at(day, hour)})
    assert response.status_code == 201, response.json()
    return response.json()


def status(booking: dict) -> str:
    return Booking.objects.get(pk=booking["id"]).status


def published(event_type: str) -> int:
    return OutboxMessage.objects.filter(event_type=event_type).count()


def snapshot() -> tuple:
    return (
        list(Booking.objects.order_by("pk").values_list("status", "reminded_for")),
        BookingStatusChange.objects.count(),
        OutboxMessage.objects.count(),
    )


def test_a_pending_booking_past_its_deadline_expires_once(customer_api, chair):
    chair.approval_required = True
    chair.save()
    booking = book(customer_api, chair, 2, 10)
    # Just before the deadline (the start, here), nothing is due.
    assert bookings_advance_due(now=NOW + timedelta(hours=25, minutes=59))["expire"] == 0
    moved = bookings_advance_due(now=NOW + timedelta(hours=26))
    assert moved["expire"] == 1
    assert status(booking) == "expired"
    assert published("booking.expired") == 1
    row = BookingStatusChange.objects.latest("id")
    assert (row.from_status, row.to_status, row.actor) == ("pending", "expired", None)
    before = snapshot()
    assert sum(bookings_advance_due(now=NOW + timedelta(hours=27)).values()) == 0
    assert snapshot() == before


def test_confirmed_starts_at_its_start_and_completes_at_its_end(customer_api, chair):
    booking = book(customer_api, chair, 2, 10)
    start = NOW + timedelta(hours=26)
    assert bookings_advance_due(now=start - timedelta(minutes=1))["start"] == 0
    assert bookings_advance_due(now=start)["start"] == 1
    assert status(booking) == "in_progress"
    assert bookings_advance_due(now=start + timedelta(minutes=29))["complete"] == 0
    assert bookings_advance_due(now=start + timedelta(minutes=30))["complete"] == 1
    assert status(booking) == "completed"
    assert (published("booking.started"), published("booking.completed")) == (1, 1)
    before = snapshot()
    bookings_advance_due(now=start + timedelta(hours=1))
    assert snapshot() == before


def test_a_long_overdue_booking_is_completed_not_started(customer_api, chair):
    booking = book(customer_api, chair, 2, 10)
    moved = bookings_advance_due(now=NOW + timedelta(days=3))
    assert (moved["complete"], moved["start"]) == (1, 0)
    assert status(booking) == "completed"
    assert published("booking.started") == 0


def test_cancelled_and_declined_bookings_are_left_alone(customer_api, chair):
    booking = book(customer_api, chair, 2, 10)
    customer_api.post(f"{URL}{booking['id']}/cancel/")
    before = snapshot()
    assert sum(bookings_advance_due(now=NOW + timedelta(days=3)).values()) == 0
    assert snapshot() == before


def test_a_waitlisted_booking_whose_time_came_expires(customer_api, chair):
    booking = book(customer_api, chair, 2, 10)
    Booking.objects.filter(pk=booking["id"]).update(status="waitlisted")
    assert bookings_advance_due(now=NOW + timedelta(hours=25))["waitlist_expire"] == 0
    assert bookings_advance_due(now=NOW + timedelta(hours=26))["waitlist_expire"] == 1
    assert status(booking) == "expired"


def test_batches_are_bounded_and_the_rest_waits_for_the_next_run(customer_api, room):
    bookings = [book(customer_api, room, 2, hour) for hour in (9, 10, 11)]
    later = NOW + timedelta(days=3)
    assert bookings_advance_due(now=later, limit=2, max_batches=1)["complete"] == 2
    assert [status(b) for b in bookings] == ["completed", "completed", "confirmed"]
    assert bookings_advance_due(now=later, limit=2, max_batches=1)["complete"] == 1
    assert bookings_advance_due(now=later, limit=1)["complete"] == 0


class TestReminders:
    def test_sent_once_within_the_window(self, customer_api, chair):
        booking = book(customer_api, chair, 3, 10)  # 50 hours ahead
        assert bookings_remind_due(now=NOW, hours=24) == 0
        assert bookings_remind_due(now=NOW + timedelta(hours=26), hours=24) == 1
        message = OutboxMessage.objects.get(event_type="booking.reminder")
        assert message.payload["reference"] == booking["reference"]
        before = snapshot()
        assert bookings_remind_due(now=NOW + timedelta(hours=27), hours=24) == 0
        assert snapshot() == before

    def test_a_rescheduled_booking_is_reminded_for_its_new_time(self, customer_api, chair):
        booking = book(customer_api, chair, 2, 10)
        assert bookings_remind_due(now=NOW, hours=48) == 1
        customer_api.patch(f"{URL}{booking['id']}/", {"start_time": at(2, 11)})
        assert bookings_remind_due(now=NOW, hours=48) == 1
        assert published("booking.reminder") == 2
        assert bookings_remind_due(now=NOW, hours=48) == 0

    def test_none_for_pending_cancelled_or_started_bookings_or_when_switched_off(
        self, customer_api, chair
    ):
        booking = book(customer_api, chair, 2, 10)
        assert bookings_remind_due(now=NOW, hours=0) == 0
        assert bookings_remind_due(now=NOW + timedelta(hours=27), hours=48) == 0  # started
        customer_api.post(f"{URL}{booking['id']}/cancel/")
        assert bookings_remind_due(now=NOW, hours=48) == 0
        assert published("booking.reminder") == 0


def test_the_tasks_run_the_services_and_are_on_the_beat_schedule(customer_api, chair, frozen):
    book(customer_api, chair, 2, 10)
    frozen.move_to(NOW + timedelta(hours=26))
    assert bookings_advance_due_task() == {
        "expire": 0,
        "waitlist_expire": 0,
        "complete": 0,
        "start": 1,
    }
    assert bookings_remind_due_task() == 0  # started: no reminder any more
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert {"bookings.advance_due", "bookings.remind_due", "events.purge_expired_holds"} <= tasks


def test_a_batch_refuses_as_a_whole_when_one_booking_may_not_move(customer_api, chair):
    from tessera.bookings.errors import IllegalTransition
    from tessera.bookings.lifecycle import booking_transition_batch

    first, second = book(customer_api, chair, 2, 10), book(customer_api, chair, 2, 11)
    customer_api.post(f"{URL}{second['id']}/cancel/")
    before = snapshot()
    bookings = list(Booking.objects.filter(pk__in=[first["id"], second["id"]]))
    with pytest.raises(IllegalTransition):
        booking_transition_batch(bookings=bookings, to="completed", now=NOW)
    assert snapshot() == before
