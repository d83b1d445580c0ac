"""Gig waiting lists under parallel cancellations (PostgreSQL, real clients through the API):
the participants of a waiting gig are freed at the same instant, with single-resource waiters
behind it. Whoever wins, a gig holds all its participants or none, no resource is over-filled
(the exclusion constraint would refuse it anyway) and nobody is promoted twice."""

from __future__ import annotations

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
from tessera.scheduling.tests.factories import make_resource

from .races import race

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

ALL_DAY = [(d, time(0), time(0)) for d in range(7)]
ROUNDS = 4


def client() -> APIClient:
    api = APIClient()
    user = cast(User, UserFactory(role=Role.CUSTOMER))
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {AccessToken.for_user(user)}")
    return api


def book(api: APIClient, resource_ids: list[int], start: str, waitlist: bool = False) -> Any:
    body: dict[str, Any] = {"start_time": start, "waitlist": waitlist}
    if len(resource_ids) == 1:
        body["resource"] = resource_ids[0]
    else:
        body["resources"] = resource_ids
    response = api.post("/api/bookings/", body, format="json")
    assert response.status_code == 201, response.json()
    return response.json()


def cancel(holders: list[APIClient], booked: list[dict[str, Any]], i: int) -> int:
    return holders[i].post(f"/api/bookings/{booked[i]['id']}/cancel/").status_code


def test_parallel_frees_of_a_gigs_participants_keep_it_all_or_nothing():
    resources = [make_resource(capacity=1, hours=ALL_DAY, default_duration=60) for _ in range(2)]
    ids = [r.pk for r in resources]
    base = datetime.now(tz=UTC).replace(minute=0, second=0, microsecond=0) + timedelta(days=3)
    for round_ in range(ROUNDS):
        start = (base + timedelta(hours=2 * round_)).isoformat()
        holders = [client(), client()]
        booked = [book(holders[i], [ids[i]], start) for i in range(2)]
        gig = book(client(), ids, start, waitlist=True)
        singles = [book(client(), [ids[i]], start, waitlist=True) for i in range(2)]
        assert gig["status"] == "waitlisted"

        codes = race(2, partial(cancel, holders, booked))

        assert all(code in (200, 409) for code in codes)  # 409: a broken deadlock, retryable
        gig_live = list(
            TimeAllocation.objects.filter(booking_id=gig["id"]).values_list("is_live", flat=True)
        )
        gig_status = Booking.objects.get(pk=gig["id"]).status
        assert gig_live in ([True, True], [False, False])
        assert (gig_status == "confirmed") == (gig_live == [True, True])
        for resource_id in ids:
            live = TimeAllocation.objects.filter(
                resource_id=resource_id, is_live=True, starts_at=start
            )
            assert live.count() <= 1
        waiting_ids = [gig["id"], *(s["id"] for s in singles)]
        promotions = BookingStatusChange.objects.filter(
            booking_id__in=waiting_ids, from_status="waitlisted"
        )
        promoted = list(promotions.values_list("booking_id", flat=True))
        assert len(promoted) == len(set(promoted))
        if codes == [200, 200]:
            # Both places freed: either the gig took both, or each single took its own.
            assert sorted(promoted) in (
                [gig["id"]],
                sorted(s["id"] for s in singles),
            )
