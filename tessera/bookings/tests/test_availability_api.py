"""GET /api/resources/<id>/availability/ and GET /api/availability/?resources=…"""

from datetime import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tessera.accounts.roles import Role
from tessera.scheduling.tests.factories import make_resource

from .conftest import at

pytestmark = pytest.mark.django_db
BOOK = "/api/bookings/"


def url(resource) -> str:
    return f"/api/resources/{resource.pk}/availability/"


def starts(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [s["start"] for s in response.json()["slots"]]


class TestOneResource:
    def test_slots_in_local_time_with_the_lunch_break(self, api, chair):
        response = api.get(url(chair), {"start": "2027-03-02", "end": "2027-03-03"})
        body = response.json()
        assert (body["timezone"], body["duration"], body["step"]) == ("Europe/Lisbon", 30, 30)
        slots = starts(response)
        assert slots[0] == "2027-03-02T09:00:00+00:00"
        assert "2027-03-02T12:30:00+00:00" in slots
        assert "2027-03-02T13:00:00+00:00" not in slots  # lunch
        assert slots[-1] == "2027-03-02T17:30:00+00:00"
        assert len(slots) == 16

    def test_booked_time_and_buffers_disappear(self, api, customer_api, chair):
        chair.buffer_after = 15
        chair.save()
        assert (
            customer_api.post(BOOK, {"resource": chair.pk, "start_time": at(2, 10)}).status_code
            == 201
        )
        slots = starts(api.get(url(chair), {"start": at(2, 9), "end": at(2, 12)}))
        assert slots == [
            "2027-03-02T09:00:00+00:00",
            "2027-03-02T11:00:00+00:00",
            "2027-03-02T11:30:00+00:00",
        ]

    def test_places_left_on_a_shared_room(self, api, client_for, make_user, room):
        for _ in range(3):
            booker = client_for(make_user(Role.CUSTOMER))
            assert (
                booker.post(BOOK, {"resource": room.pk, "start_time": at(2, 10)}).status_code == 201
            )
        slots = api.get(url(room), {"start": at(2, 9), "end": at(2, 12)}).json()["slots"]
        assert [(s["start"][11:16], s["places_left"]) for s in slots] == [
            ("09:00", 4),
            ("10:00", 1),
            ("11:00", 4),
        ]

    def test_a_cancelled_booking_frees_its_slot(self, api, customer_api, chair):
        booking = customer_api.post(BOOK, {"resource": chair.pk, "start_time": at(2, 9)}).json()
        assert "2027-03-02T09:00:00+00:00" not in starts(
            api.get(url(chair), {"start": "2027-03-02", "end": "2027-03-03"})
        )
        customer_api.delete(f"{BOOK}{booking['id']}/")
        assert "2027-03-02T09:00:00+00:00" in starts(
            api.get(url(chair), {"start": "2027-03-02", "end": "2027-03-03"})
        )

    def test_closures_and_openings(self, provider_api, api, chair):
        provider_api.post(
            f"/api/resources/{chair.pk}/closures/", {"start_date": "2027-03-02"}, format="json"
        )
        provider_api.post(
            f"/api/resources/{chair.pk}/openings/",
            {"start_date": "2027-03-07", "start_time": "10:00", "end_time": "11:00"},
            format="json",
        )
        assert starts(api.get(url(chair), {"start": "2027-03-02", "end": "2027-03-03"})) == []
        assert starts(api.get(url(chair), {"start": "2027-03-07", "end": "2027-03-08"})) == [
            "2027-03-07T10:00:00+00:00",
            "2027-03-07T10:30:00+00:00",
        ]

    def test_notice_and_advance(self, api, chair):
        chair.min_notice = 120
        chair.max_advance = 1
        chair.save()
        slots = starts(api.get(url(chair), {"start": "2027-03-01", "end": "2027-03-04"}))
        assert slots[0] == "2027-03-01T10:00:00+00:00"  # now is 08:00
        assert slots[-1] <= "2027-03-02T08:00:00+00:00"

    def test_duration_step_and_display_zone(self, api, chair):
        body = api.get(
            url(chair),
            {
                "start": at(2, 9),
                "end": at(2, 11),
                "duration": 60,
                "step": 15,
                "tz": "America/New_York",
            },
        ).json()
        assert body["timezone"] == "America/New_York"
        assert [s["start"] for s in body["slots"]][:2] == [
            "2027-03-02T04:00:00-05:00",
            "2027-03-02T04:15:00-05:00",
        ]
        assert body["slots"][0]["end"] == "2027-03-02T05:00:00-05:00"

    def test_nine_o_clock_stays_nine_o_clock_across_the_change(self, api, provider):
        berlin = make_resource(
            timezone="Europe/Berlin", owner=provider, hours=[(0, time(9), time(10))]
        )
        slots = starts(
            api.get(url(berlin), {"start": "2027-03-22", "end": "2027-04-06", "duration": 60})
        )
        assert slots == [
            "2027-03-22T09:00:00+01:00",
            "2027-03-29T09:00:00+02:00",
            "2027-04-05T09:00:00+02:00",
        ]

    @pytest.mark.parametrize(
        ("params", "code"),
        [
            ({"start": "2027-03-02T09:00:00"}, "invalid"),
            ({"start": "soon"}, "invalid"),
            ({"start": "2027-03-05", "end": "2027-03-02"}, "end_before_start"),
            ({"start": "2027-03-01", "end": "2027-07-01"}, "window_too_long"),
            ({"duration": "0"}, "invalid"),
            ({"duration": str(10**20)}, "invalid"),
            ({"step": "abc"}, "invalid"),
            ({"tz": "Nowhere/Land"}, "invalid_timezone"),
        ],
    )
    def test_bad_parameters(self, api, chair, params, code):
        response = api.get(url(chair), params)
        assert response.status_code == 400, response.content
        assert response.json()["code"] == code

    def test_unknown_inactive_and_malformed(self, api, chair):
        chair.is_active = False
        chair.save()
        assert api.get(url(chair)).status_code == 404
        assert api.get("/api/resources/abc/availability/").status_code == 404
        assert api.get("/api/resources/99999999999999999999/availability/").status_code == 404

    def test_a_month_of_slots_costs_two_queries(self, api, room):
        with CaptureQueriesContext(connection) as queries:
            response = api.get(url(room), {"start": "2027-03-01", "end": "2027-03-31"})
        assert len(response.json()["slots"]) > 300
        assert len(queries) == 2  # the resource, then rules and bookings in one UNION


class TestSeveralResources:
    def test_the_times_when_all_are_free(self, api, customer_api, make_user):
        musician = make_resource(kind="musician", hours=[(d, time(18), time(23)) for d in range(7)])
        venue = make_resource(kind="venue", hours=[(d, time(20), time(2)) for d in range(7)])
        assert (
            customer_api.post(BOOK, {"resource": venue.pk, "start_time": at(5, 20)}).status_code
            == 201
        )
        response = api.get(
            "/api/availability/",
            {
                "resources": f"{musician.pk},{venue.pk}",
                "start": "2027-03-05",
                "end": "2027-03-06",
                "duration": 60,
            },
        )
        assert starts(response) == ["2027-03-05T21:00:00+00:00", "2027-03-05T22:00:00+00:00"]
        assert response.json()["resources"] == [musician.pk, venue.pk]

    @pytest.mark.parametrize("value", ["", "a,b", ",,", "-3", ",".join(["1"] * 11), str(2**70)])
    def test_bad_lists(self, api, value):
        response = api.get("/api/availability/", {"resources": value})
        assert response.status_code == 400
        assert response.json()["errors"][0]["field"] == "resources"

    def test_an_unknown_resource_is_404(self, api, chair):
        response = api.get("/api/availability/", {"resources": f"{chair.pk},987654"})
        assert (response.status_code, response.json()["code"]) == (404, "resource_not_found")
