"""`GET /api/shows/<id>/seats/` and `/api/shows/<id>/holds/`."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tessera.core.clock import utcnow
from tessera.events.models import Hold, Seat, SeatClaim
from tessera.events.services.tickets import ticket_booking_create_for_seats

from .factories import ReservedShowFactory, set_price

pytestmark = pytest.mark.django_db


def test_the_seat_map_lists_every_seat_with_price_and_status(
    api, seated_show, seats, customer, make_user
):
    seats[0].category = "vip"
    seats[0].accessible = True
    seats[0].save()
    seats[11].blocked = True
    seats[11].save()
    set_price(seated_show, "vip", "25.00")
    ticket_booking_create_for_seats(
        show=seated_show, seat_ids=[seats[1].pk], customer=customer, actor=customer
    )
    holder = make_user()
    from tessera.events.services.holds import hold_create_for_seats

    hold_create_for_seats(show=seated_show, seat_ids=[seats[2].pk], actor=holder)

    response = api.get(f"/api/shows/{seated_show.pk}/seats/")

    assert response.status_code == 200
    body = response.json()
    assert body["counts"] == {"available": 9, "held": 1, "booked": 1, "blocked": 1}
    assert body["seating"] == "reserved"
    assert body["currency"] == "EUR"
    assert len(body["seats"]) == 12
    assert body["seats"][0] == {
        "id": seats[0].pk,
        "row": "A",
        "number": 1,
        "category": "vip",
        "price": "25.00",
        "accessible": True,
        "status": "available",
    }
    assert [s["status"] for s in body["seats"][1:3]] == ["booked", "held"]
    assert body["seats"][11]["status"] == "blocked"
    assert body["seats"][5]["price"] == "10.00"
    with time_machine.travel(utcnow() + timedelta(minutes=11), tick=False):
        later = api.get(f"/api/shows/{seated_show.pk}/seats/").json()
    assert later["counts"]["held"] == 0  # the hold lapsed by itself


def test_the_seat_map_follows_layout_and_price_changes(organizer_api, api, seated_show, seats):
    first = api.get(f"/api/shows/{seated_show.pk}/seats/").json()
    organizer_api.patch(f"/api/shows/{seated_show.pk}/", {"price": "12.00"})
    organizer_api.patch(f"/api/halls/{seated_show.hall_id}/seats/{seats[0].pk}/", {"blocked": True})

    second = api.get(f"/api/shows/{seated_show.pk}/seats/").json()

    assert first["seats"][0]["price"] == "10.00"
    assert second["seats"][0]["price"] == "12.00"
    assert second["seats"][0]["status"] == "blocked"


def test_a_general_admission_show_has_an_empty_seat_map(api, ga_show):
    body = api.get(f"/api/shows/{ga_show.pk}/seats/").json()
    assert body["seats"] == []
    assert body["seating"] == "general"
    assert api.get("/api/shows/987654/seats/").status_code == 404


def test_the_seat_map_of_a_large_hall_takes_three_queries(api):
    show = ReservedShowFactory.create(seats={"rows": "A-Y", "numbers": "1-200"})  # 5,000 seats
    api.get(f"/api/shows/{show.pk}/seats/")  # warms this process's layout cache

    with CaptureQueriesContext(connection) as queries:
        response = api.get(f"/api/shows/{show.pk}/seats/")

    assert len(response.json()["seats"]) == 5000
    assert len(queries) == 3  # the show, its prices, the live claims


def test_a_map_read_again_within_its_max_age_is_served_without_a_query(
    api, settings, seated_show, seats, customer
):
    settings.TESSERA_EVENTS = {**settings.TESSERA_EVENTS, "SEAT_MAP_MAX_AGE_SECONDS": 1}
    with time_machine.travel(utcnow(), tick=False) as clock:
        first = api.get(f"/api/shows/{seated_show.pk}/seats/").json()
        ticket_booking_create_for_seats(
            show=seated_show, seat_ids=[seats[0].pk], customer=customer, actor=customer
        )
        clock.shift(timedelta(milliseconds=900))
        with CaptureQueriesContext(connection) as queries:
            again = api.get(f"/api/shows/{seated_show.pk}/seats/").json()
        assert len(queries) == 0
        assert again == first  # at most the max age old: the new booking is not on it yet
        clock.shift(timedelta(milliseconds=200))
        fresh = api.get(f"/api/shows/{seated_show.pk}/seats/").json()
    assert fresh["seats"][0]["status"] == "booked"
    assert fresh["counts"]["booked"] == 1


def test_each_show_has_its_own_recent_map(api, settings, seated_show, ga_show):
    settings.TESSERA_EVENTS = {**settings.TESSERA_EVENTS, "SEAT_MAP_MAX_AGE_SECONDS": 5}
    seated = api.get(f"/api/shows/{seated_show.pk}/seats/").json()
    general = api.get(f"/api/shows/{ga_show.pk}/seats/").json()
    assert (seated["show"], general["show"]) == (seated_show.pk, ga_show.pk)
    assert api.get("/api/shows/987654/seats/").status_code == 404  # a miss is never kept


# --- holds ---------------------------------------------------------------------------------


def test_hold_seats_read_it_and_release_it(customer_api, seated_show, seats):
    url = f"/api/shows/{seated_show.pk}/holds/"

    created = customer_api.post(url, {"seat_ids": [seats[0].pk, seats[1].pk]}, format="json")

    assert created.status_code == 201
    hold = created.json()
    assert hold["state"] == "active"
    assert hold["seat_ids"] == [seats[0].pk, seats[1].pk]
    assert hold["quantity"] == 2
    assert hold["price"] == "20.00"
    assert created["Location"] == f"{url}{hold['token']}/"
    assert customer_api.get(f"{url}{hold['token']}/").json() == hold

    released = customer_api.delete(f"{url}{hold['token']}/")
    assert released.status_code == 204
    assert customer_api.get(f"{url}{hold['token']}/").json()["state"] == "released"
    assert not SeatClaim.objects.exists()


def test_a_hold_is_all_or_nothing_and_names_the_taken_seats(
    customer_api, client_for, make_user, seated_show, seats
):
    url = f"/api/shows/{seated_show.pk}/holds/"
    customer_api.post(url, {"seat_ids": [seats[1].pk]}, format="json")

    response = client_for(make_user()).post(
        url, {"seat_ids": [seats[0].pk, seats[1].pk]}, format="json"
    )

    assert response.status_code == 409
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["code"] == "seat_taken"
    assert response.json()["seat_ids"] == [seats[1].pk]
    assert Hold.objects.count() == 1


def test_hold_places_up_to_capacity(customer_api, ga_show):
    url = f"/api/shows/{ga_show.pk}/holds/"
    assert customer_api.post(url, {"quantity": 8}).status_code == 201
    refused = customer_api.post(url, {"quantity": 3})
    assert refused.status_code == 409
    assert refused.json()["code"] == "capacity_exceeded"
    assert refused.json()["places_left"] == 2


def test_hold_limits_are_409_hold_limit(customer_api, ga_show, settings):
    settings.TESSERA_EVENTS = {**settings.TESSERA_EVENTS, "HOLD_MAX_ITEMS": 2}
    response = customer_api.post(f"/api/shows/{ga_show.pk}/holds/", {"quantity": 3})
    assert response.status_code == 409
    assert response.json()["code"] == "hold_limit"
    assert not Hold.objects.exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "seat_ids"),
        ({"seat_ids": [1], "quantity": 1}, "seat_ids"),
        ({"seat_ids": []}, "seat_ids"),
        ({"seat_ids": [1, 1]}, "seat_ids"),
        ({"seat_ids": "1,2"}, "seat_ids"),
        ({"seat_ids": ["a"]}, "seat_ids.0"),
        ({"seat_ids": [2**70]}, "seat_ids.0"),
        ({"seat_ids": list(range(1, 102))}, "seat_ids"),
        ({"quantity": 0}, "quantity"),
        ({"quantity": 1.5}, "quantity"),
        ({"quantity": "2"}, "quantity"),
    ],
)
def test_malformed_holds_are_a_400(customer_api, seated_show, body, field):
    response = customer_api.post(f"/api/shows/{seated_show.pk}/holds/", body, format="json")
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == field
    assert not Hold.objects.exists()


def test_holds_of_the_wrong_kind_or_unknown_seats(customer_api, seated_show, ga_show, seats):
    wrong = customer_api.post(f"/api/shows/{ga_show.pk}/holds/", {"seat_ids": [seats[0].pk]})
    assert wrong.status_code == 409
    assert wrong.json()["code"] == "wrong_seating"
    unknown = customer_api.post(f"/api/shows/{seated_show.pk}/holds/", {"seat_ids": [999999]})
    assert unknown.status_code == 400
    assert unknown.json()["errors"][0]["code"] == "unknown_seat"
    assert customer_api.post("/api/shows/999999/holds/", {"quantity": 1}).status_code == 404


def test_someone_elses_hold_is_not_found(customer_api, client_for, make_user, ga_show):
    url = f"/api/shows/{ga_show.pk}/holds/"
    token = customer_api.post(url, {"quantity": 1}).json()["token"]
    stranger = client_for(make_user())
    assert stranger.get(f"{url}{token}/").status_code == 404
    assert stranger.delete(f"{url}{token}/").status_code == 404
    assert customer_api.get(f"{url}not-a-token/").status_code == 404
    assert customer_api.get(f"{url}bad!token/").status_code == 404
    assert Hold.objects.get().state == "active"


def test_an_expired_hold_reads_as_expired(customer_api, ga_show):
    url = f"/api/shows/{ga_show.pk}/holds/"
    token = customer_api.post(url, {"quantity": 1}).json()["token"]
    with time_machine.travel(utcnow() + timedelta(minutes=11), tick=False):
        assert customer_api.get(f"{url}{token}/").json()["state"] == "expired"


def test_a_retried_hold_with_an_idempotency_key_is_the_same_hold(customer_api, ga_show):
    url = f"/api/shows/{ga_show.pk}/holds/"
    first = customer_api.post(url, {"quantity": 2}, HTTP_IDEMPOTENCY_KEY="k-1")
    again = customer_api.post(url, {"quantity": 2}, HTTP_IDEMPOTENCY_KEY="k-1")
    assert first.status_code == again.status_code == 201
    assert again.json()["token"] == first.json()["token"]
    assert again["Idempotent-Replayed"] == "true"
    assert Hold.objects.count() == 1


def test_holds_need_a_signed_in_user(api, ga_show):
    assert api.post(f"/api/shows/{ga_show.pk}/holds/", {"quantity": 1}).status_code == 401
    assert not Seat.objects.exists() or not Hold.objects.exists()
