"""Invariant 1 and 3 under real parallel clients (PostgreSQL): every client is a thread with its
own connection, going through the whole API (JWT, view, service, locks, constraint).

- 30 clients race for one slot of a capacity-1 resource: exactly 1 wins;
- 30 for one slot of a capacity-4 resource: exactly 4 win;
- gigs and single bookings race for the same musician and venue: no gig is ever half-booked;
- the exclusion constraint alone (no service, no lock) lets exactly one overlapping row in;
- a constraint violation is the same 409 as the service's own check;
- concurrent duplicates with one Idempotency-Key make one booking and all get its result.
Every loser gets a 409 with its code. Each race is repeated ROUNDS times.
"""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, time, timedelta
from typing import Any, cast

import pytest
from django.db import IntegrityError, transaction
from rest_framework.test import APIClient
from rest_framework_simplejwt.tokens import AccessToken

from tessera.accounts.models import User
from tessera.accounts.roles import Role
from tessera.accounts.tests.factories import UserFactory
from tessera.bookings.models import Booking, TimeAllocation
from tessera.scheduling.tests.factories import make_resource

from .races import race

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

CLIENTS = 30
ROUNDS = 10
ALL_DAY = [(d, time(0), time(0)) for d in range(7)]  # open around the clock


def slot(round_: int) -> datetime:
    """A slot per round, three hours apart (no booking here lasts longer), days ahead."""
    base = datetime.now(tz=UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    return base + timedelta(days=3, hours=3 * round_)


def customer() -> User:
    return cast(User, UserFactory(role=Role.CUSTOMER))


def clients(count: int) -> list[APIClient]:
    out = []
    for _ in range(count):
        client = APIClient()
        user = customer()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {AccessToken.for_user(user)}")
        out.append(client)
    return out


def book(client: APIClient, body: dict[str, Any]) -> tuple[int, str]:
    response = client.post("/api/bookings/", body, format="json")
    body = response.json()
    return response.status_code, body.get("code", "")


def race_bookings(racers: list[APIClient], bodies: list[dict[str, Any]]) -> list[tuple[int, str]]:
    """Client i posts bodies[i], all at once."""
    return race(len(bodies), lambda i: book(racers[i], bodies[i]))


def outcome(results: list[tuple[int, str]]) -> Counter:
    return Counter(results)


def test_thirty_clients_one_exclusive_slot_one_winner():
    chair = make_resource(capacity=1, hours=ALL_DAY, default_duration=30)
    racers = clients(CLIENTS)
    for round_ in range(ROUNDS):
        body = {"resource": chair.pk, "start_time": slot(round_).isoformat()}
        results = race_bookings(racers, [body] * CLIENTS)
        assert outcome(results) == {(201, ""): 1, (409, "slot_unavailable"): CLIENTS - 1}, results
    live = TimeAllocation.objects.filter(resource=chair, is_live=True)
    assert live.count() == ROUNDS
    assert Booking.objects.count() == ROUNDS


def test_thirty_clients_a_slot_for_four_four_winners():
    room = make_resource(capacity=4, hours=ALL_DAY, default_duration=60)
    racers = clients(CLIENTS)
    for round_ in range(ROUNDS):
        # Half the clients ask for the slot, half for one that overlaps it by 30 minutes.
        start = slot(round_)
        bodies = [
            {
                "resource": room.pk,
                "start_time": (start + timedelta(minutes=30 * (i % 2))).isoformat(),
            }
            for i in range(CLIENTS)
        ]
        results = race_bookings(racers, bodies)
        assert outcome(results) == {(201, ""): 4, (409, "slot_unavailable"): CLIENTS - 4}, results
    assert TimeAllocation.objects.filter(resource=room, is_live=True).count() == 4 * ROUNDS


def test_gigs_never_book_half():
    musician = make_resource(kind="musician", hours=ALL_DAY, default_duration=120)
    venue = make_resource(kind="venue", hours=ALL_DAY, default_duration=120)
    racers = clients(CLIENTS)
    for round_ in range(ROUNDS):
        start = slot(round_).isoformat()
        choices = [[musician.pk, venue.pk], [venue.pk], [musician.pk]]
        bodies = [{"resources": choices[i % 3], "start_time": start} for i in range(CLIENTS)]
        results = race_bookings(racers, bodies)
        winners = [i for i, (status, _) in enumerate(results) if status == 201]
        assert all(code == "slot_unavailable" for status, code in results if status != 201)
        # Either one gig took both, or one single booking took each of them.
        taken = sorted(r for i in winners for r in choices[i % 3])
        assert taken == sorted([musician.pk, venue.pk]), (winners, results)
    for booking in Booking.objects.filter(kind="gig"):
        assert booking.allocations.count() == 2
    for resource in (musician, venue):
        assert TimeAllocation.objects.filter(resource=resource, is_live=True).count() == ROUNDS


def test_the_exclusion_constraint_alone_admits_one_overlapping_row():
    chair = make_resource(capacity=1, hours=ALL_DAY)
    customers = [customer() for _ in range(CLIENTS)]
    start = slot(0)

    def insert(i: int) -> str:
        booking = Booking.objects.create(
            kind="time",
            status="confirmed",
            customer=customers[i],
            starts_at=start,
            ends_at=start + timedelta(minutes=30),
        )
        try:
            with transaction.atomic():
                TimeAllocation.objects.create(
                    booking=booking,
                    resource=chair,
                    starts_at=start + timedelta(minutes=i % 20),
                    ends_at=start + timedelta(minutes=30 + i % 20),
                    occupied_from=start + timedelta(minutes=i % 20),
                    occupied_to=start + timedelta(minutes=30 + i % 20),
                    is_live=True,
                    exclusive=True,
                )
        except IntegrityError as exc:
            return getattr(exc.__cause__, "sqlstate", "")
        return "ok"

    for _ in range(3):
        TimeAllocation.objects.filter(resource=chair).delete()
        results = race(CLIENTS, insert)
        assert Counter(results) == {"ok": 1, "23P01": CLIENTS - 1}
    # Rows that are not live, or not exclusive, are not constrained.
    allocation = TimeAllocation.objects.get(resource=chair)
    TimeAllocation.objects.filter(pk=allocation.pk).update(is_live=False)
    assert insert(0) == "ok"


def test_a_constraint_violation_is_the_same_409_as_the_check(monkeypatch):
    chair = make_resource(capacity=1, hours=ALL_DAY, default_duration=30)
    first, second = clients(2)
    start = slot(0).isoformat()
    assert book(first, {"resource": chair.pk, "start_time": start}) == (201, "")
    # Blind the service's own check: only the database can refuse now.
    monkeypatch.setattr("tessera.bookings.services.create.ensure_time_free", lambda **kw: None)
    assert book(second, {"resource": chair.pk, "start_time": start}) == (409, "slot_unavailable")
    monkeypatch.setattr("tessera.bookings.services.changes.ensure_time_free", lambda **kw: None)
    later = (slot(0) + timedelta(hours=2)).isoformat()
    status, _ = book(second, {"resource": chair.pk, "start_time": later})
    assert status == 201
    moved = second.patch(
        f"/api/bookings/{Booking.objects.latest('id').pk}/", {"start_time": start}, format="json"
    )
    assert (moved.status_code, moved.json()["code"]) == (409, "slot_unavailable")
    assert Booking.objects.count() == 2


def test_concurrent_duplicates_of_one_idempotency_key_make_one_booking():
    room = make_resource(capacity=4, hours=ALL_DAY, default_duration=60)
    user = customer()
    token = f"Bearer {AccessToken.for_user(user)}"
    body = {"resource": room.pk, "start_time": slot(0).isoformat()}

    def send(i: int) -> tuple[int, int]:
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=token)
        response = client.post("/api/bookings/", body, format="json", HTTP_IDEMPOTENCY_KEY="dup")
        return response.status_code, response.json().get("id", 0)

    results = race(10, send)
    assert {status for status, _ in results} == {201}
    assert len({booking_id for _, booking_id in results}) == 1
    assert Booking.objects.count() == 1
