"""Ticket bookings through `/api/bookings/` (the bookings app's API, our registered shapes)."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tessera.accounts.roles import Role
from tessera.bookings.models import Booking, BookingStatusChange
from tessera.core.clock import utcnow
from tessera.events.models import Hold, SeatClaim, TicketBooking

from .factories import ShowFactory

pytestmark = pytest.mark.django_db

URL = "/api/bookings/"


def _nothing_booked() -> None:
    assert not Booking.objects.exists()
    assert not BookingStatusChange.objects.exists()
    assert not TicketBooking.objects.exists()


def test_book_seats_with_the_cinema_shape(customer_api, customer, seated_show, seats):
    response = customer_api.post(
        URL, {"show_id": seated_show.pk, "seat_ids": [seats[0].pk, seats[1].pk]}, format="json"
    )

    assert response.status_code == 201, response.json()
    body = response.json()
    assert response["Location"] == f"/api/bookings/{body['id']}/"
    assert body["kind"] == "seating"
    assert body["status"] == "confirmed"
    assert body["show"] == seated_show.pk
    assert body["event"] == seated_show.event_id
    assert body["seat_ids"] == [seats[0].pk, seats[1].pk]
    assert body["quantity"] == 2
    assert body["price"] == "20.00"
    assert body["currency"] == "EUR"
    assert body["user"] == body["customer"] == customer.pk
    assert body["seats"][0] == {
        "id": seats[0].pk,
        "row": "A",
        "number": 1,
        "category": "standard",
        "price": "10.00",
    }
    assert customer_api.get(f"{URL}{body['id']}/").json() == body


def test_a_taken_seat_is_a_409_naming_it_and_books_nothing_else(
    customer_api, client_for, make_user, seated_show, seats
):
    customer_api.post(URL, {"show_id": seated_show.pk, "seat_ids": [seats[1].pk]}, format="json")

    response = client_for(make_user()).post(
        URL, {"show_id": seated_show.pk, "seat_ids": [seats[0].pk, seats[1].pk]}, format="json"
    )

    assert response.status_code == 409
    assert response.json()["code"] == "seat_taken"
    assert response.json()["seat_ids"] == [seats[1].pk]
    assert Booking.objects.count() == 1
    assert BookingStatusChange.objects.count() == 1
    assert SeatClaim.objects.count() == 1


def test_book_places_and_run_out(customer_api, ga_show):
    booked = customer_api.post(URL, {"show": ga_show.pk, "quantity": 4})
    assert booked.status_code == 201
    assert booked.json()["kind"] == "admission"
    assert booked.json()["quantity"] == 4
    assert booked.json()["seat_ids"] == []
    assert booked.json()["price"] == "80.00"

    customer_api.post(URL, {"show_id": ga_show.pk, "quantity": 6})
    refused = customer_api.post(URL, {"show": ga_show.pk, "quantity": 1})
    assert refused.status_code == 409
    assert refused.json()["code"] == "capacity_exceeded"
    assert refused.json()["places_left"] == 0
    assert Booking.objects.count() == 2


def test_book_a_hold_once_and_only_before_it_lapses(customer_api, seated_show, seats):
    token = customer_api.post(
        f"/api/shows/{seated_show.pk}/holds/", {"seat_ids": [seats[4].pk]}, format="json"
    ).json()["token"]

    booked = customer_api.post(URL, {"hold": token})
    assert booked.status_code == 201
    assert booked.json()["seat_ids"] == [seats[4].pk]
    again = customer_api.post(URL, {"hold": token})
    assert again.status_code == 409
    assert again.json()["code"] == "hold_used"
    assert again.json()["booking_id"] == booked.json()["id"]

    late = customer_api.post(
        f"/api/shows/{seated_show.pk}/holds/", {"seat_ids": [seats[5].pk]}, format="json"
    ).json()["token"]
    with time_machine.travel(utcnow() + timedelta(minutes=11), tick=False):
        expired = customer_api.post(URL, {"hold": late})
    assert expired.status_code == 409
    assert expired.json()["code"] == "hold_expired"
    assert customer_api.post(URL, {"hold": "no-such-hold"}).status_code == 404
    assert Booking.objects.count() == 1


def test_the_event_platforms_booking_shape(client_for, customer, make_user, ga_show):
    response = client_for(customer).post(URL, {"user": customer.pk, "event": ga_show.event_id})

    assert response.status_code == 201
    body = response.json()
    assert (body["user"], body["event"], body["status"]) == (
        customer.pk,
        ga_show.event_id,
        "confirmed",
    )
    assert body["booking_date"] == body["created_at"]
    history = client_for(customer).get(f"/api/users/{customer.pk}/booking-history/").json()
    assert [b["event"] for b in history["results"]] == [ga_show.event_id]


def test_a_customer_books_only_for_themself_staff_for_anyone(
    customer_api, customer, make_user, client_for, ga_show
):
    other = make_user()
    refused = customer_api.post(URL, {"user": other.pk, "event": ga_show.event_id})
    assert refused.status_code == 403
    _nothing_booked()

    staff = client_for(make_user(Role.STAFF))
    done = staff.post(URL, {"user": other.pk, "event": ga_show.event_id})
    assert done.status_code == 201
    assert done.json()["customer"] == other.pk
    assert done.json()["created_by"] is not None


def test_an_event_with_several_shows_asks_which(customer_api, ga_show):
    second = ShowFactory.create(
        event=ga_show.event,
        venue=ga_show.venue,
        starts_at=ga_show.starts_at + timedelta(days=1),
        ends_at=ga_show.ends_at + timedelta(days=1),
    )
    response = customer_api.post(URL, {"event": ga_show.event_id})
    assert response.status_code == 409
    assert response.json()["code"] == "show_required"
    assert response.json()["show_ids"] == [ga_show.pk, second.pk]
    _nothing_booked()


@pytest.mark.parametrize(
    ("body", "field", "code"),
    [
        ({"show_id": 1}, "seat_ids", "required"),
        ({"seat_ids": [1]}, "show_id", "required"),
        ({"show_id": "x", "seat_ids": [1]}, "show_id", "invalid"),
        ({"show_id": 2**64, "seat_ids": [1]}, "show_id", "max_value"),
        ({"show_id": 1, "seat_ids": [1, 1]}, "seat_ids", "duplicate"),
        ({"show_id": 1, "seat_ids": [None]}, "seat_ids.0", "null"),
        ({"show_id": 1, "seat_ids": {"a": 1}}, "seat_ids", "not_a_list"),
        ({"show_id": 1, "show": 2, "seat_ids": [1]}, "show_id", "conflicting_fields"),
        ({"show": 1, "quantity": 0}, "quantity", "min_value"),
        ({"show": 1, "quantity": 10**9}, "quantity", "max_value"),
        ({"show": 1, "quantity": True}, "quantity", "invalid"),
        ({"hold": "bad token!"}, "hold", "invalid"),
        ({"hold": "abc", "seat_ids": [1]}, "seat_ids", "not_allowed"),
        ({"event": 1, "price": "0.01"}, "price", "not_allowed"),
        ({"event": 1, "status": "confirmed"}, "status", "not_allowed"),
        ({"event": 1, "user": 1, "customer": 2}, "user", "conflicting_fields"),
        ({"event": 1, "notes": "x" * 5001}, "notes", "max_length"),
    ],
)
def test_malformed_ticket_requests_are_a_400(customer_api, body, field, code):
    response = customer_api.post(URL, body, format="json")
    assert response.status_code == 400, response.json()
    errors = {(e["field"], e["code"]) for e in response.json()["errors"]}
    assert (field, code) in errors
    _nothing_booked()


def test_unknown_shows_events_and_users_in_the_body(customer_api):
    for body, field in (
        ({"show_id": 424242, "seat_ids": [1]}, "show_id"),
        ({"show": 424242, "quantity": 1}, "show"),
        ({"event": 424242}, "event"),
    ):
        response = customer_api.post(URL, body, format="json")
        assert response.status_code == 400
        assert response.json()["errors"][0] == {
            "field": field,
            "code": "does_not_exist",
            "message": response.json()["errors"][0]["message"],
        }
    assert customer_api.post(URL, [1, 2], format="json").status_code == 400
    _nothing_booked()


def test_cancel_frees_the_seats_at_once(customer_api, client_for, make_user, seated_show, seats):
    booking = customer_api.post(
        URL, {"show_id": seated_show.pk, "seat_ids": [seats[0].pk]}, format="json"
    ).json()

    cancelled = customer_api.post(f"{URL}{booking['id']}/cancel/", {"reason": "ill"})
    assert cancelled.status_code == 200
    assert cancelled.json()["status"] == "cancelled"
    assert cancelled.json()["seat_ids"] == [seats[0].pk]  # still listed

    other = client_for(make_user()).post(
        URL, {"show_id": seated_show.pk, "seat_ids": [seats[0].pk]}, format="json"
    )
    assert other.status_code == 201
    seat_map = customer_api.get(f"/api/shows/{seated_show.pk}/seats/").json()
    assert seat_map["counts"]["booked"] == 1


def test_delete_cancels_and_keeps_the_record(customer_api, ga_show):
    booking = customer_api.post(URL, {"show": ga_show.pk, "quantity": 10}).json()
    response = customer_api.delete(f"{URL}{booking['id']}/")
    assert response.status_code == 200
    assert response.json()["status"] == "cancelled"
    assert Booking.objects.filter(pk=booking["id"]).exists()
    assert customer_api.post(URL, {"show": ga_show.pk, "quantity": 10}).status_code == 201


def test_a_customer_cannot_cancel_once_the_show_started(customer_api):
    soon = utcnow() + timedelta(minutes=5)
    show = ShowFactory.create(starts_at=soon, ends_at=soon + timedelta(hours=1))
    booking = customer_api.post(URL, {"show": show.pk, "quantity": 1}).json()
    with time_machine.travel(soon + timedelta(minutes=1), tick=False):  # the token still valid
        response = customer_api.post(f"{URL}{booking['id']}/cancel/")
    assert response.status_code == 409
    assert response.json()["code"] == "cancellation_deadline_passed"


def test_a_ticket_booking_cannot_be_moved_like_time(customer_api, ga_show):
    booking = customer_api.post(URL, {"show": ga_show.pk, "quantity": 1}).json()
    response = customer_api.patch(
        f"{URL}{booking['id']}/", {"start_time": (utcnow() + timedelta(days=9)).isoformat()}
    )
    assert response.status_code == 409
    assert response.json()["code"] == "not_time_booking"


def test_the_organizer_sees_and_confirms_bookings_on_their_shows(
    customer_api, client_for, organizer, make_user, ga_show
):
    ga_show.event.requires_approval = True
    ga_show.event.save()
    booking = customer_api.post(URL, {"show": ga_show.pk, "quantity": 2}).json()
    assert booking["status"] == "pending"

    organizer_api = client_for(organizer)
    assert [b["id"] for b in organizer_api.get(URL).json()["results"]] == [booking["id"]]
    stranger = client_for(make_user(Role.ORGANIZER))
    assert stranger.get(URL).json()["count"] == 0
    assert stranger.post(f"{URL}{booking['id']}/confirm/").status_code == 404
    assert customer_api.post(f"{URL}{booking['id']}/confirm/").status_code == 403

    confirmed = organizer_api.post(f"{URL}{booking['id']}/confirm/")
    assert confirmed.status_code == 200
    assert confirmed.json()["status"] == "confirmed"


def test_a_retried_booking_with_an_idempotency_key_books_once(customer_api, ga_show):
    body = {"show": ga_show.pk, "quantity": 3}
    first = customer_api.post(URL, body, HTTP_IDEMPOTENCY_KEY="order-77")
    again = customer_api.post(URL, body, HTTP_IDEMPOTENCY_KEY="order-77")
    assert first.status_code == again.status_code == 201
    assert again.json()["id"] == first.json()["id"]
    assert TicketBooking.objects.get().quantity == 3


def test_booking_lists_with_tickets_take_a_fixed_number_of_queries(customer_api, customer):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert customer_api.get(URL).status_code == 200
        return len(queries)

    from tessera.events.services.tickets import ticket_booking_create_for_places

    ticket_booking_create_for_places(
        show=ShowFactory.create(), quantity=1, customer=customer, actor=customer
    )
    few = count()
    for _ in range(4):
        ticket_booking_create_for_places(
            show=ShowFactory.create(), quantity=2, customer=customer, actor=customer
        )
    assert count() == few
    assert not Hold.objects.exists()
