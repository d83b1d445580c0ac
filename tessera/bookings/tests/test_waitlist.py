"""Waiting lists of time: join when full, see your place, leave; a freed place goes to the
first in line that fits, in the transaction that freed it, and they are told."""

from datetime import timedelta

import pytest
from django.db import IntegrityError

from tessera.bookings.models import Booking, BookingStatusChange, TimeAllocation, WaitlistEntry
from tessera.bookings.services.timed import bookings_advance_due
from tessera.notifications.models import OutboxMessage

from .conftest import NOW, at

pytestmark = pytest.mark.django_db
URL = "/api/bookings/"


def post(api, chair, start: str, end: str | None = None, **extra) -> tuple[int, dict]:
    body = {"resource": chair.pk, "start_time": start, **extra}
    if end:
        body["end_time"] = end
    response = api.post(URL, body, format="json")
    return response.status_code, response.json()


def status(booking: dict) -> str:
    return Booking.objects.get(pk=booking["id"]).status


def position(api, booking: dict) -> int | None:
    waitlist = api.get(f"{URL}{booking['id']}/").json()["waitlist"]
    return waitlist["position"] if waitlist else None


@pytest.fixture
def full(customer_api, chair) -> dict:
    code, body = post(customer_api, chair, at(2, 10))
    assert code == 201
    return body


@pytest.fixture
def waiters(client_for, make_user):
    return [client_for(make_user()) for _ in range(3)]


class TestJoin:
    def test_a_full_time_can_be_waited_for(self, full, chair, waiters):
        code, first = post(waiters[0], chair, at(2, 10), waitlist=True)
        assert (code, first["status"], first["waitlist"]) == (
            201,
            "waitlisted",
            {"position": 1, "quantity": 1},
        )
        assert not TimeAllocation.objects.get(booking_id=first["id"]).is_live
        _, second = post(waiters[1], chair, at(2, 10), waitlist=True)
        assert second["waitlist"]["position"] == 2
        message = OutboxMessage.objects.filter(event_type="booking.waitlisted").latest("id")
        assert (message.payload["reference"], message.payload["position"]) == (
            second["reference"],
            2,
        )
        assert history(first) == [("", "waitlisted")]

    def test_a_free_time_is_simply_booked(self, customer_api, chair):
        code, body = post(customer_api, chair, at(2, 10), waitlist=True)
        assert (code, body["status"], body["waitlist"]) == (201, "confirmed", None)
        assert not WaitlistEntry.objects.exists()

    def test_without_asking_a_full_time_is_refused_and_nothing_written(self, full, chair, waiters):
        code, body = post(waiters[0], chair, at(2, 10))
        assert (code, body["code"]) == (409, "slot_unavailable")
        assert Booking.objects.count() == 1
        assert not WaitlistEntry.objects.exists()
        assert OutboxMessage.objects.count() == 1

    def test_once_per_list(self, full, chair, waiters):
        post(waiters[0], chair, at(2, 10), waitlist=True)
        code, body = post(waiters[0], chair, at(2, 10), waitlist=True)
        assert (code, body["code"]) == (409, "already_waitlisted")
        assert WaitlistEntry.objects.count() == 1
        assert Booking.objects.count() == 2
        assert OutboxMessage.objects.filter(event_type="booking.waitlisted").count() == 1

    def test_other_refusals_stand(self, full, chair, waiters):
        code, body = post(waiters[0], chair, at(2, 20), waitlist=True)  # closed at 20:00
        assert (code, body["code"]) == (409, "outside_availability")
        assert not WaitlistEntry.objects.exists()

    def test_positions_are_unique_per_list_in_the_database(self, full, chair, waiters):
        _, first = post(waiters[0], chair, at(2, 10), waitlist=True)
        entry = WaitlistEntry.objects.get()
        other = Booking.objects.create(
            kind="time",
            status="waitlisted",
            customer_id=first["customer"],
            starts_at=entry.booking.starts_at,
            ends_at=entry.booking.ends_at,
        )
        with pytest.raises(IntegrityError):
            WaitlistEntry.objects.create(
                booking=other, list_key=entry.list_key, position=1, joined_at=NOW
            )


def history(booking: dict) -> list[tuple[str, str]]:
    rows = BookingStatusChange.objects.filter(booking_id=booking["id"]).order_by("id")
    return [(r.from_status, r.to_status) for r in rows]


class TestPromotion:
    def test_cancelling_promotes_the_first_in_line_and_says_so(
        self, customer_api, full, chair, waiters
    ):
        _, first = post(waiters[0], chair, at(2, 10), waitlist=True)
        _, second = post(waiters[1], chair, at(2, 10), waitlist=True)
        response = customer_api.post(f"{URL}{full['id']}/cancel/")
        assert response.json()["status"] == "cancelled"
        assert response.json()["message"] == "Booking cancelled; next in line notified."
        assert status(first) == "confirmed"
        assert TimeAllocation.objects.get(booking_id=first["id"]).is_live
        assert history(first) == [("", "waitlisted"), ("waitlisted", "confirmed")]
        promoted = OutboxMessage.objects.get(event_type="booking.promoted")
        assert promoted.payload["reference"] == first["reference"]
        assert (status(second), position(waiters[1], second)) == ("waitlisted", 1)

    def test_leaving_the_list_promotes_nobody(self, customer_api, full, chair, waiters):
        _, first = post(waiters[0], chair, at(2, 10), waitlist=True)
        _, second = post(waiters[1], chair, at(2, 10), waitlist=True)
        response = waiters[0].post(f"{URL}{first['id']}/cancel/")
        assert (response.json()["status"], response.json()["message"]) == ("cancelled", None)
        assert position(waiters[1], second) == 1
        assert status(full) == "confirmed"
        assert not OutboxMessage.objects.filter(event_type="booking.promoted").exists()

    def test_a_cancellation_with_nobody_waiting_has_no_message(self, customer_api, full):
        response = customer_api.post(f"{URL}{full['id']}/cancel/")
        assert response.json()["message"] is None

    def test_the_first_that_fits_wins(self, customer_api, provider, chair, waiters):
        _, early = post(customer_api, chair, at(2, 9, 30))
        _, late = post(customer_api, chair, at(2, 10))
        # Joined first, but needs 9:45-10:15: both bookings are in the way.
        _, wide = post(waiters[0], chair, at(2, 9, 45), at(2, 10, 15), waitlist=True)
        _, narrow = post(waiters[1], chair, at(2, 10), waitlist=True)
        customer_api.post(f"{URL}{late['id']}/cancel/")
        assert (status(wide), status(narrow)) == ("waitlisted", "confirmed")
        assert status(early) == "confirmed"

    def test_a_declined_request_makes_room(self, customer_api, provider_api, chair, waiters):
        chair.approval_required = True
        chair.save()
        _, pending = post(customer_api, chair, at(2, 10))
        _, waiting = post(waiters[0], chair, at(2, 10), waitlist=True)
        assert waiting["status"] == "waitlisted"
        provider_api.post(f"{URL}{pending['id']}/decline/")
        # The owner declined one: the next is promoted, and awaits their approval in turn.
        assert status(waiting) == "pending"
        provider_api.post(f"{URL}{waiting['id']}/confirm/")
        assert status(waiting) == "confirmed"

    def test_an_expired_request_makes_room_in_the_periodic_job(self, customer_api, chair, waiters):
        chair.approval_required = True
        chair.save()
        _, pending = post(customer_api, chair, at(2, 10))
        _, waiting = post(waiters[0], chair, at(2, 10), waitlist=True)
        moved = bookings_advance_due(now=NOW + timedelta(hours=25))
        assert moved["expire"] == 0  # the deadline is the start: not yet
        Booking.objects.filter(pk=pending["id"]).update(confirm_deadline=NOW + timedelta(hours=1))
        moved = bookings_advance_due(now=NOW + timedelta(hours=2))
        assert moved["expire"] == 1
        assert (status(pending), status(waiting)) == ("expired", "pending")
        assert OutboxMessage.objects.filter(event_type="booking.promoted").count() == 1

    def test_promoted_to_pending_with_a_deadline_when_configured(
        self, settings, customer_api, full, chair, waiters
    ):
        settings.TESSERA = {**settings.TESSERA, "WAITLIST_PROMOTE_TO": "pending"}
        _, waiting = post(waiters[0], chair, at(2, 10), waitlist=True)
        customer_api.post(f"{URL}{full['id']}/cancel/")
        booking = Booking.objects.get(pk=waiting["id"])
        assert booking.status == "pending"
        assert booking.confirm_deadline == NOW + timedelta(hours=12)
        payload = OutboxMessage.objects.get(event_type="booking.promoted").payload
        assert payload["confirm_deadline"] == (NOW + timedelta(hours=12)).isoformat()

    def test_a_waiter_whose_time_passed_is_not_promoted(
        self, customer_api, provider, full, chair, waiters
    ):
        from tessera.bookings.services.status import booking_cancel

        _, waiting = post(waiters[0], chair, at(2, 10), waitlist=True)
        booking_cancel(booking_id=full["id"], actor=provider, now=NOW + timedelta(hours=27))
        assert status(waiting) == "waitlisted"


class TestCapacityRaised:
    def test_raising_the_capacity_promotes_those_that_now_fit(self, provider, full, chair, waiters):
        from tessera.scheduling.services.resources import resource_update

        _, first = post(waiters[0], chair, at(2, 10), waitlist=True)
        _, second = post(waiters[1], chair, at(2, 10), waitlist=True)
        _, third = post(waiters[2], chair, at(2, 10), waitlist=True)
        resource_update(resource_id=chair.pk, actor=provider, capacity=3)
        assert [status(b) for b in (first, second, third)] == [
            "confirmed",
            "confirmed",
            "waitlisted",
        ]
        assert position(waiters[2], third) == 1
        assert OutboxMessage.objects.filter(event_type="booking.promoted").count() == 2

    def test_other_changes_promote_nobody(self, provider, full, chair, waiters):
        from tessera.scheduling.services.resources import resource_update

        _, first = post(waiters[0], chair, at(2, 10), waitlist=True)
        resource_update(resource_id=chair.pk, actor=provider, name="Chair 1")
        assert status(first) == "waitlisted"


def test_a_list_of_waiting_bookings_shows_each_place_in_line_at_a_fixed_cost(
    client_for, make_user, provider, chair
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    owner = client_for(provider)

    def wait_on(day: int, waiters: int) -> None:
        post(client_for(make_user()), chair, at(day, 10))  # the time is full
        for _ in range(waiters):
            code, _ = post(client_for(make_user()), chair, at(day, 10), waitlist=True)
            assert code == 201

    def read() -> tuple[int, list[tuple[str, int]]]:
        with CaptureQueriesContext(connection) as queries:
            body = owner.get(URL, {"status": "waitlisted", "ordering": "created_at"}).json()
        places = [(b["start_time"][:10], b["waitlist"]["position"]) for b in body["results"]]
        return len(queries), sorted(places)

    wait_on(2, 1)
    few, _ = read()
    wait_on(3, 3)
    last = Booking.objects.filter(status="waitlisted").order_by("id").last()
    assert last is not None
    client_for(last.customer).post(f"{URL}{last.pk}/cancel/")  # the last leaves: 2 wait
    wait_on(4, 2)
    queries, places = read()
    assert queries == few
    assert [position for _, position in places] == [1, 1, 2, 1, 2]


@pytest.mark.postgres
def test_a_freed_time_locks_every_candidate_before_any_resource(
    customer_api, chair, waiters, settings
):
    """Two entries fit in one freed span: both bookings are locked (pk order) before the first
    promotion locks the resource, so no promotion waits for a booking while holding one."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    code, long = post(customer_api, chair, at(2, 10), at(2, 12))
    assert code == 201
    _, early = post(waiters[0], chair, at(2, 10), waitlist=True)
    _, late = post(waiters[1], chair, at(2, 11), waitlist=True)

    with CaptureQueriesContext(connection) as queries:
        cancelled = customer_api.post(f"{URL}{long['id']}/cancel/").json()

    assert cancelled["status"] == "cancelled"
    assert (status(early), status(late)) == ("confirmed", "confirmed")
    sql = [q["sql"] for q in queries.captured_queries]
    candidates = next(
        i
        for i, q in enumerate(sql)
        if 'FROM "bookings_booking"' in q and " IN (" in q and "FOR UPDATE" in q
    )
    first_resource = next(
        i
        for i, q in enumerate(sql)
        if 'FROM "scheduling_resource"' in q and "FOR NO KEY UPDATE" in q
    )
    assert candidates < first_resource


def test_the_status_writer_promotes_nobody_the_promotion_step_does(full, chair, waiters):
    """`booking_transition` only changes the status; whoever frees a place promotes by name."""
    from django.db import transaction

    from tessera.bookings.lifecycle import booking_transition
    from tessera.bookings.locks import booking_lock
    from tessera.bookings.promotion import waitlist_promote_after_freed

    _, waiting = post(waiters[0], chair, at(2, 10), waitlist=True)
    with transaction.atomic():
        booking = booking_lock(booking_id=full["id"])
        assert booking is not None
        booking_transition(booking=booking, to="cancelled", actor=None, now=NOW)
    assert status(waiting) == "waitlisted"
    assert not OutboxMessage.objects.filter(event_type="booking.promoted").exists()
    with transaction.atomic():
        promoted = waitlist_promote_after_freed(
            freed=booking, from_status="confirmed", to_status="cancelled", now=NOW
        )
    assert promoted == [waiting["id"]]
    assert status(waiting) == "confirmed"
    # a change that frees nothing promotes nobody
    assert (
        waitlist_promote_after_freed(
            freed=booking, from_status="waitlisted", to_status="cancelled", now=NOW
        )
        == []
    )
