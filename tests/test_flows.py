"""End to end through the API only: a barber sets up, a customer books, moves, and misses it."""

from datetime import UTC, datetime

import pytest
import time_machine
from rest_framework.test import APIClient
from rest_framework_simplejwt.tokens import AccessToken

from tessera.accounts.roles import Role

pytestmark = pytest.mark.django_db
MONDAY = datetime(2027, 3, 1, 7, 0, tzinfo=UTC)


def client(user) -> APIClient:
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {AccessToken.for_user(user)}")
    return api


def test_the_barber_shop(make_user, api):
    with time_machine.travel(MONDAY, tick=False) as clock:
        barber, alice = make_user(Role.PROVIDER), make_user(Role.CUSTOMER)
        shop, me = client(barber), client(alice)

        chair = shop.post(
            "/api/resources/",
            {
                "name": "Bruno",
                "kind": "provider",
                "timezone": "Europe/Lisbon",
                "rules": {"default_duration": 30, "buffer_after": 10, "cancellation_deadline": 120},
            },
            format="json",
        ).json()
        week = [
            {"weekday": d, "start_time": start, "end_time": end}
            for d in range(1, 6)
            for start, end in (("09:00", "13:00"), ("14:00", "19:00"))
        ]
        assert (
            shop.put(
                f"/api/resources/{chair['id']}/hours/", {"hours": week}, format="json"
            ).status_code
            == 200
        )
        shop.post(
            f"/api/resources/{chair['id']}/closures/",
            {"start_date": "2027-03-03", "reason": "Off"},
            format="json",
        )

        listed = api.get("/api/resources/", {"kind": "provider", "q": "bru"}).json()["results"]
        assert [r["id"] for r in listed] == [chair["id"]]

        def free(day: str) -> list[str]:
            body = api.get(
                f"/api/resources/{chair['id']}/availability/",
                {"start": day, "end": day[:8] + str(int(day[8:]) + 1).zfill(2)},
            ).json()
            return [s["start"] for s in body["slots"]]

        assert free("2027-03-01") == []  # Monday: closed
        assert free("2027-03-03") == []  # the day off
        tuesday = free("2027-03-02")
        assert tuesday[0] == "2027-03-02T09:00:00+00:00"

        booking = me.post(
            "/api/bookings/", {"resource": chair["id"], "start_time": tuesday[0]}, format="json"
        ).json()
        assert booking["status"] == "confirmed"
        # 9:00 is taken, and 9:30 too: the 10-minute buffer after the booking runs to 9:40.
        assert free("2027-03-02")[:2] == ["2027-03-02T10:00:00+00:00", "2027-03-02T10:30:00+00:00"]

        moved = me.patch(
            f"/api/bookings/{booking['id']}/", {"start_time": "2027-03-02T15:00:00Z"}, format="json"
        )
        assert moved.json()["start_time"] == "2027-03-02T15:00:00Z"
        assert free("2027-03-02")[0] == "2027-03-02T09:00:00+00:00"

        assert [b["id"] for b in shop.get("/api/bookings/").json()["results"]] == [booking["id"]]

        clock.move_to(datetime(2027, 3, 2, 15, 20, tzinfo=UTC))
        shop, me = client(barber), client(alice)  # fresh tokens after the clock moved
        too_late = me.post(f"/api/bookings/{booking['id']}/cancel/")
        assert too_late.json()["code"] == "cancellation_deadline_passed"
        assert shop.post(f"/api/bookings/{booking['id']}/no-show/").json()["status"] == "no_show"

        history = me.get(f"/api/users/{alice.pk}/booking-history/").json()["results"]
        assert [(b["id"], b["status"]) for b in history] == [(booking["id"], "no_show")]
        rows = me.get(f"/api/bookings/{booking['id']}/history/").json()
        assert [(r["from_status"], r["to_status"]) for r in rows] == [
            ("", "confirmed"),
            ("confirmed", "confirmed"),
            ("confirmed", "no_show"),
        ]
