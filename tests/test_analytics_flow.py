"""End to end over the API: bookings made and cancelled through the booking services show up in
the provider's analytics; the person's export lists them; erasure leaves the figures intact."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import pytest
import time_machine

from tessera.accounts.roles import Role
from tessera.scheduling.tests.factories import make_resource

pytestmark = pytest.mark.django_db

MONDAY = datetime(2027, 3, 1, 8, 0, tzinfo=UTC)


def test_bookings_through_the_api_feed_analytics_export_and_survive_erasure(
    make_user, client_for, staff
):
    provider = make_user(Role.PROVIDER)
    alice_user = make_user(Role.CUSTOMER)
    with time_machine.travel(MONDAY, tick=False):
        chair = make_resource(
            owner=provider,
            timezone="UTC",
            default_duration=60,
            hours=[(d, time(9), time(17)) for d in range(7)],
        )
        alice = client_for(alice_user)
        made = [
            alice.post(
                "/api/bookings/",
                {
                    "resource": chair.pk,
                    "start_time": (MONDAY + timedelta(days=1, hours=h)).isoformat(),
                },
                format="json",
            )
            for h in (1, 2, 3)
        ]
        assert [r.status_code for r in made] == [201, 201, 201]
        cancelled = alice.post(f"/api/bookings/{made[0].json()['id']}/cancel/", {}, format="json")
        assert cancelled.status_code == 200

        barber = client_for(provider)
        staff_api = client_for(staff)  # tokens made inside the travelled time
        window = {"start": "2027-03-02", "end": "2027-03-02"}
        rates = barber.get("/api/analytics/rates/", window).json()
        assert rates["total"] == 3 and rates["cancellation_rate"] == round(1 / 3, 4)
        assert rates["lead_time_median_minutes"] == (24 + 2) * 60
        [use] = barber.get("/api/analytics/utilisation/resources/", window).json()["resources"]
        assert use["booked_minutes"] == 120 and use["open_minutes"] == 480

        export = alice.get(f"/api/users/{alice_user.pk}/export/").json()
        assert sorted(b["status"] for b in export["bookings"]) == [
            "cancelled",
            "confirmed",
            "confirmed",
        ]

        # Live bookings block erasure; once they are cancelled it goes through.
        assert staff_api.post(f"/api/users/{alice_user.pk}/erasure/").status_code == 409
        for response in made[1:]:
            alice.post(f"/api/bookings/{response.json()['id']}/cancel/", {}, format="json")
        assert staff_api.post(f"/api/users/{alice_user.pk}/erasure/").status_code == 200
        after = barber.get("/api/analytics/rates/", window).json()
        assert after["total"] == 3 and after["by_status"]["cancelled"] == 3
