"""Listing bookings: who sees what, filters, ordering, pagination, query counts, history."""

from datetime import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tessera.accounts.roles import Role
from tessera.scheduling.tests.factories import make_resource

from .conftest import at

pytestmark = pytest.mark.django_db
URL = "/api/bookings/"


@pytest.fixture
def world(client_for, make_user, provider, chair, room):
    """Alice books the chair twice and the room once; Bob books the room; a second provider's
    court is booked by Bob. Returns the users and the ids."""
    alice, bob = make_user(Role.CUSTOMER), make_user(Role.CUSTOMER)
    other_provider = make_user(Role.PROVIDER)
    court = make_resource(owner=other_provider, hours=[(d, time(7), time(22)) for d in range(7)])
    a, b = client_for(alice), client_for(bob)

    def book(client, resource, day, hour):
        response = client.post(URL, {"resource": resource.pk, "start_time": at(day, hour)})
        assert response.status_code == 201, response.content
        return response.json()["id"]

    ids = {
        "a_chair_1": book(a, chair, 2, 9),
        "a_chair_2": book(a, chair, 4, 10),
        "a_room": book(a, room, 3, 9),
        "b_room": book(b, room, 3, 9),
        "b_court": book(b, court, 5, 8),
    }
    a.delete(f"{URL}{ids['a_chair_2']}/")
    return {
        "alice": alice,
        "bob": bob,
        "other_provider": other_provider,
        "court": court,
        "ids": ids,
    }


def ids_of(response) -> set[int]:
    assert response.status_code == 200, response.content
    return {b["id"] for b in response.json()["results"]}


class TestVisibility:
    def test_a_customer_sees_only_their_own(self, client_for, world):
        ids = world["ids"]
        assert ids_of(client_for(world["alice"]).get(URL)) == {
            ids["a_chair_1"],
            ids["a_chair_2"],
            ids["a_room"],
        }

    def test_a_provider_sees_the_bookings_on_their_resources(self, provider_api, client_for, world):
        ids = world["ids"]
        assert ids_of(provider_api.get(URL)) == {
            ids["a_chair_1"],
            ids["a_chair_2"],
            ids["a_room"],
            ids["b_room"],
        }
        assert ids_of(client_for(world["other_provider"]).get(URL)) == {ids["b_court"]}

    def test_staff_see_everything(self, staff_api, world):
        assert ids_of(staff_api.get(URL)) == set(world["ids"].values())

    def test_reading_one_follows_the_same_rule(self, client_for, provider_api, world):
        ids = world["ids"]
        assert client_for(world["bob"]).get(f"{URL}{ids['a_room']}/").status_code == 404
        assert provider_api.get(f"{URL}{ids['b_room']}/").status_code == 200
        assert provider_api.get(f"{URL}{ids['b_court']}/").status_code == 404

    def test_anonymous_is_401(self, api, world):
        assert api.get(URL).status_code == 401


class TestFilters:
    def test_by_customer_resource_provider_status_and_kind(self, staff_api, world, chair, room):
        ids = world["ids"]
        assert ids_of(staff_api.get(URL, {"customer": world["bob"].pk})) == {
            ids["b_room"],
            ids["b_court"],
        }
        assert ids_of(staff_api.get(URL, {"resource": room.pk})) == {ids["a_room"], ids["b_room"]}
        assert ids_of(staff_api.get(URL, {"provider": world["other_provider"].pk})) == {
            ids["b_court"]
        }
        assert ids_of(staff_api.get(URL, {"status": "cancelled"})) == {ids["a_chair_2"]}
        both = staff_api.get(f"{URL}?status=cancelled&status=confirmed")
        assert ids_of(both) == set(ids.values())
        assert ids_of(staff_api.get(URL, {"kind": "gig"})) == set()

    def test_by_time_range_overlap(self, staff_api, world):
        ids = world["ids"]
        found = ids_of(staff_api.get(URL, {"from": at(3, 0), "to": at(4, 0)}))
        assert found == {ids["a_room"], ids["b_room"]}
        edge = ids_of(staff_api.get(URL, {"from": at(2, 9, 30), "to": at(3, 0)}))
        assert edge == set()  # the chair booking ends at 9:30: touching is not overlapping

    def test_ordering(self, staff_api, world):
        ids = world["ids"]
        ascending = [
            b["id"] for b in staff_api.get(URL, {"ordering": "start_time"}).json()["results"]
        ]
        assert ascending[0] == ids["a_chair_1"]
        assert ascending[-1] == ids["b_court"]
        default = [b["id"] for b in staff_api.get(URL).json()["results"]]
        assert default[0] == ids["b_court"]  # newest start first

    @pytest.mark.parametrize(
        ("params", "field"),
        [
            ({"customer": "abc"}, "customer"),
            ({"resource": "1.5"}, "resource"),
            ({"provider": str(2**70)}, "provider"),
            ({"status": "nope"}, "status"),
            ({"from": "2027-03-01T00:00:00"}, "from"),
            ({"to": "soon"}, "to"),
            ({"ordering": "password"}, "ordering"),
            ({"page_size": "x", "page": "-1"}, None),
        ],
    )
    def test_bad_filters_are_400_or_ignored_never_500(self, staff_api, world, params, field):
        response = staff_api.get(URL, params)
        if field is None:
            assert response.status_code in (200, 404)
            return
        assert response.status_code == 400, response.content
        assert response.json()["errors"][0]["field"] == field

    def test_pagination(self, staff_api, world):
        page = staff_api.get(URL, {"page_size": 2}).json()
        assert (page["count"], len(page["results"])) == (5, 2)
        assert page["next"] is not None

    def test_times_in_a_requested_zone(self, staff_api, world):
        body = staff_api.get(URL, {"ordering": "start_time", "tz": "Asia/Tokyo"}).json()
        assert body["results"][0]["start_time"] == "2027-03-02T18:00:00+09:00"
        bad = staff_api.get(URL, {"tz": "Mars/Olympus"})
        assert (bad.status_code, bad.json()["code"]) == (400, "invalid_timezone")


class TestQueryCounts:
    def test_a_page_costs_the_same_whatever_its_length(self, client_for, staff, world, room):
        client = client_for(staff)

        def count() -> int:
            with CaptureQueriesContext(connection) as queries:
                assert client.get(URL).status_code == 200
            return len(queries)

        few = count()
        booker = client_for(world["alice"])
        for day in range(8, 20):
            booker.post(URL, {"resource": room.pk, "start_time": at(day, 12)})
        assert count() == few
        from tessera.bookings.selectors.bookings import output_prefetches

        # user, count, page, and one per output prefetch: allocations with their resources, and
        # those other kinds of booking register (the events app: ticket, seat claims)
        assert few <= 3 + len(output_prefetches())


class TestUserHistory:
    def test_the_user_sees_all_of_theirs(self, client_for, world):
        alice = world["alice"]
        body = client_for(alice).get(f"/api/users/{alice.pk}/booking-history/").json()
        assert body["count"] == 3
        statuses = {b["status"] for b in body["results"]}
        assert statuses == {"confirmed", "cancelled"}

    def test_a_provider_sees_only_those_on_their_resources(self, client_for, world):
        bob = world["bob"]
        body = client_for(world["other_provider"]).get(f"/api/users/{bob.pk}/booking-history/")
        assert [b["id"] for b in body.json()["results"]] == [world["ids"]["b_court"]]

    def test_another_customer_may_not_look(self, client_for, world):
        response = client_for(world["bob"]).get(f"/api/users/{world['alice'].pk}/booking-history/")
        assert (response.status_code, response.json()["code"]) == (403, "permission_denied")

    def test_unknown_and_malformed_users(self, staff_api):
        assert (
            staff_api.get("/api/users/999999/booking-history/").json()["code"] == "user_not_found"
        )
        assert staff_api.get("/api/users/abc/booking-history/").status_code == 404
