"""End to end over the API: an organizer sets up a cinema; a customer holds, books, cancels."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tessera.accounts.roles import Role
from tessera.core.clock import utcnow

pytestmark = pytest.mark.django_db


def test_from_an_empty_cinema_to_a_cancelled_ticket(make_user, client_for, api):
    olga = client_for(make_user(Role.ORGANIZER))
    alice = client_for(make_user(Role.CUSTOMER))

    venue = olga.post(
        "/api/venues/",
        {"name": "Cinema", "location": "1 Film St", "capacity": 300, "timezone": "Europe/Paris"},
    ).json()
    hall = olga.post(
        "/api/halls/",
        {
            "venue": venue["id"],
            "name": "Screen 1",
            "layout": {
                "blocks": [
                    {"rows": "A-E", "numbers": "1-10", "gaps": [5]},
                    {"rows": "F", "numbers": "1-10", "category": "premium"},
                ]
            },
        },
        format="json",
    ).json()
    event = olga.post("/api/events/", {"title": "A Film", "duration_minutes": 95}).json()
    starts = (utcnow() + timedelta(days=2)).replace(microsecond=0)
    show = olga.post(
        "/api/shows/",
        {
            "event": event["id"],
            "venue": venue["id"],
            "hall": hall["id"],
            "starts_at": starts.isoformat(),
            "price": "9.00",
            "prices": {"premium": "13.00"},
        },
        format="json",
    ).json()
    assert show["capacity"] == hall["seat_count"] == 55

    seat_map = api.get(f"/api/shows/{show['id']}/seats/").json()
    premium = [s["id"] for s in seat_map["seats"] if s["category"] == "premium"][:2]
    hold = alice.post(
        f"/api/shows/{show['id']}/holds/", {"seat_ids": premium}, format="json"
    ).json()
    assert hold["price"] == "26.00"
    assert api.get(f"/api/shows/{show['id']}/seats/").json()["counts"]["held"] == 2

    booking = alice.post("/api/bookings/", {"hold": hold["token"]}).json()
    assert (booking["status"], booking["price"], booking["seat_ids"]) == (
        "confirmed",
        "26.00",
        sorted(premium),
    )
    assert api.get(f"/api/shows/{show['id']}/").json()["places_left"] == 53
    assert [b["id"] for b in olga.get("/api/bookings/").json()["results"]] == [booking["id"]]
    showtimes = api.get(f"/api/events/{event['id']}/showtimes/").json()
    assert showtimes[0]["places_left"] == 53

    cancelled = alice.post(f"/api/bookings/{booking['id']}/cancel/").json()
    assert cancelled["status"] == "cancelled"
    assert api.get(f"/api/shows/{show['id']}/seats/").json()["counts"] == {
        "available": 55,
        "held": 0,
        "booked": 0,
        "blocked": 0,
    }
    history = alice.get(f"/api/bookings/{booking['id']}/history/").json()
    assert [(h["from_status"], h["to_status"]) for h in history] == [
        ("", "confirmed"),
        ("confirmed", "cancelled"),
    ]
