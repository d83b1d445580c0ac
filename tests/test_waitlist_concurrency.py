"""Promotion from a waiting list under parallel cancellations (PostgreSQL, real clients through
the API): each freed place goes to exactly one entry, in line order; no entry is promoted twice;
the resource is never over-filled."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, time, timedelta
from functools import partial
from typing import Any, cast

import pytest
from rest_framework.test import APIClient
from rest_framework_simplejwt.tokens import AccessToken

from tessera.accounts.models import User
from tessera.accounts.roles import Role
from tessera.accounts.tests.factories import UserFactory
from tessera.bookings.models import Booking, BookingStatusChange, TimeAllocation
from tessera.notifications.models import OutboxMessage
from tessera.scheduling.tests.factories import make_resource

from .races import race

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

ALL_DAY = [(d, time(0), time(0)) for d in range(7)]
CAPACITY = 3
WAITING = 5
ROUNDS = 3


def client() -> APIClient:
    api = APIClient()
    user = cast(User, UserFactory(role=Role.CUSTOMER))
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {AccessToken.for_user(user)}")
    return api


def cancel(holders: list[APIClient], booked: list[dict[str, Any]], i: int) -> dict[str, Any]:
    return dict(holders[i].post(f"/api/bookings/{booked[i]['id']}/cancel/").json())


def test_parallel_cancellations_promote_each_entry_once_in_line_order():
    room = make_resource(capacity=CAPACITY, hours=ALL_DAY, default_duration=60)
    base = datetime.now(tz=UTC).replace(minute=0, second=0, microsecond=0) + timedelta(days=3)
    for round_ in range(ROUNDS):
        start = (base + timedelta(hours=2 * round_)).isoformat()
        body = {"resource": room.pk, "start_time": start, "waitlist": True}
        holders = [client() for _ in range(CAPACITY)]
        booked = [api.post("/api/bookings/", body, format="json").json() for api in holders]
        assert {b["status"] for b in booked} == {"confirmed"}
        waiting = [
            client().post("/api/bookings/", body, format="json").json() for _ in range(WAITING)
        ]
        assert [w["waitlist"]["position"] for w in waiting] == list(range(1, WAITING + 1))

        results = race(CAPACITY, partial(cancel, holders, booked))

        assert {r["status"] for r in results} == {"cancelled"}
        assert Counter(r["message"] for r in results) == {
            "Booking cancelled; next in line notified.": CAPACITY
        }
        statuses = [Booking.objects.get(pk=w["id"]).status for w in waiting]
        assert statuses == ["confirmed"] * CAPACITY + ["waitlisted"] * (WAITING - CAPACITY)
        ids = [w["id"] for w in waiting]
        live = TimeAllocation.objects.filter(resource=room, is_live=True, booking_id__in=ids)
        assert live.count() == CAPACITY
        promotions = BookingStatusChange.objects.filter(booking_id__in=ids, to_status="confirmed")
        assert sorted(promotions.values_list("booking_id", flat=True)) == ids[:CAPACITY]
        messages = OutboxMessage.objects.filter(event_type="booking.promoted")
        assert (
            messages.filter(aggregate_id__in=[w["reference"] for w in waiting]).count() == CAPACITY
        )


def test_parallel_cancellations_at_a_show_promote_each_entry_once():
    from tessera.bookings.services.status import booking_cancel
    from tessera.events.models import TicketBooking
    from tessera.events.services.tickets import ticket_booking_create_for_places
    from tessera.events.tests.factories import ShowFactory

    show = ShowFactory.create(capacity=CAPACITY)

    def book(waitlist: bool = False) -> Booking:
        customer = cast(User, UserFactory(role=Role.CUSTOMER))
        return ticket_booking_create_for_places(
            show=show, quantity=1, customer=customer, actor=customer, waitlist=waitlist
        )

    holders = [book() for _ in range(CAPACITY)]
    waiting = [book(waitlist=True) for _ in range(WAITING)]
    assert {w.status for w in waiting} == {"waitlisted"}

    race(
        CAPACITY,
        lambda i: booking_cancel(booking_id=holders[i].pk, actor=holders[i].customer),
    )

    statuses = [Booking.objects.get(pk=w.pk).status for w in waiting]
    assert statuses == ["confirmed"] * CAPACITY + ["waitlisted"] * (WAITING - CAPACITY)
    live = TicketBooking.objects.filter(show=show, is_live=True)
    assert sorted(live.values_list("pk", flat=True)) == [w.pk for w in waiting[:CAPACITY]]
    promoted = OutboxMessage.objects.filter(event_type="booking.promoted")
    assert promoted.count() == CAPACITY
