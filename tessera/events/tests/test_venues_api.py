"""`/api/venues/` and `/api/halls/` (layouts, seats)."""

from __future__ import annotations

import pytest

from tessera.accounts.roles import Role
from tessera.events.models import Hall, Seat, Venue

from .factories import HallFactory, ReservedShowFactory, VenueFactory, add_seats

pytestmark = pytest.mark.django_db

SEED = {
    "name": "Conference Hall",
    "location": "123 Main St",
    "capacity": 200,
    "facilities": "WiFi, Projector",
}


def test_the_earlier_platforms_venue_shapes_keep_working(organizer_api, organizer):
    created = organizer_api.post("/api/venues/", SEED)
    assert created.status_code == 201
    body = created.json()
    assert {k: body[k] for k in SEED} == SEED
    assert body["owner"] == organizer.pk
    assert created["Location"] == f"/api/venues/{body['id']}/"

    read = organizer_api.get(f"/api/venues/{body['id']}/")
    assert read.status_code == 200
    assert read.json() == body

    replaced = organizer_api.put(
        f"/api/venues/{body['id']}/",
        {
            "name": "Updated Conference Hall",
            "location": "123 Main St",
            "capacity": 250,
            "facilities": "WiFi, Projector, Sound System",
        },
    )
    assert replaced.status_code == 200
    assert replaced.json()["capacity"] == 250
    assert replaced.json()["facilities"] == "WiFi, Projector, Sound System"


def test_an_organizer_lists_their_own_venues_staff_all(client_for, organizer, make_user):
    mine = VenueFactory.create(owner=organizer)
    VenueFactory.create()
    staff = make_user(Role.STAFF)

    own = client_for(organizer).get("/api/venues/").json()
    every = client_for(staff).get("/api/venues/").json()

    assert [v["id"] for v in own["results"]] == [mine.pk]
    assert every["count"] == 2


def test_customers_do_not_manage_venues(customer_api):
    assert customer_api.get("/api/venues/").status_code == 403
    refused = customer_api.post("/api/venues/", SEED)
    assert refused.status_code == 403
    assert refused.json()["code"] == "permission_denied"
    assert not Venue.objects.exists()


def test_venues_need_a_signed_in_user(api):
    assert api.get("/api/venues/").status_code == 401


def test_someone_elses_venue_is_forbidden_and_an_unknown_one_not_found(organizer_api):
    other = VenueFactory.create()
    assert organizer_api.get(f"/api/venues/{other.pk}/").status_code == 403
    assert organizer_api.patch(f"/api/venues/{other.pk}/", {"name": "x"}).status_code == 403
    assert organizer_api.get("/api/venues/999999/").status_code == 404
    assert organizer_api.get("/api/venues/abc/").status_code == 404
    assert organizer_api.get("/api/venues/99999999999999999999999/").status_code == 404


@pytest.mark.parametrize(
    ("change", "field", "code"),
    [
        ({"capacity": 0}, "capacity", "min_value"),
        ({"capacity": 10**12}, "capacity", "max_value"),
        ({"capacity": "200"}, "capacity", "invalid"),
        ({"capacity": True}, "capacity", "invalid"),
        ({"name": ""}, "name", "blank"),
        ({"name": "x" * 201}, "name", "max_length"),
        ({"name": None}, "name", "null"),
        ({"facilities": ["WiFi"]}, "facilities", "invalid"),
        ({"timezone": "Mars/Olympus"}, "timezone", "invalid_timezone"),
        ({"timezone": "../../etc/passwd"}, "timezone", "invalid_timezone"),
        ({"owner": 10**30}, "owner", "max_value"),
    ],
)
def test_bad_venue_input_is_a_400(organizer_api, change, field, code):
    response = organizer_api.post("/api/venues/", {**SEED, **change})
    assert response.status_code == 400
    error = response.json()["errors"][0]
    assert (error["field"], error["code"]) == (field, code)
    assert not Venue.objects.exists()


def test_malformed_json_is_a_400(organizer_api):
    response = organizer_api.generic(
        "POST", "/api/venues/", "{not json", content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["code"] == "malformed_body"


def test_the_owner_of_a_venue_does_not_change(organizer_api, organizer):
    venue = VenueFactory.create(owner=organizer)
    response = organizer_api.patch(f"/api/venues/{venue.pk}/", {"owner": organizer.pk})
    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "not_allowed"


def test_staff_create_a_venue_for_an_organizer(staff_api, organizer):
    response = staff_api.post("/api/venues/", {**SEED, "owner": organizer.pk})
    assert response.status_code == 201
    assert response.json()["owner"] == organizer.pk
    missing = staff_api.post("/api/venues/", {**SEED, "owner": 987654})
    assert missing.status_code == 400
    assert missing.json()["errors"][0] == {
        "field": "owner",
        "code": "does_not_exist",
        "message": "No such user.",
    }


# --- halls and layouts ------------------------------------------------------------------------

LAYOUT = {
    "blocks": [
        {"rows": "A-N", "numbers": "1-20", "gaps": [10, 11], "category": "standard"},
        {"rows": ["P"], "numbers": [1, 2, 3, 4], "category": "wheelchair"},
    ],
    "accessible": ["P1", "P2", "P3", "P4"],
    "blocked": ["A1"],
}


def test_a_hall_with_its_whole_layout_in_one_request(organizer_api, organizer):
    venue = VenueFactory.create(owner=organizer)

    response = organizer_api.post(
        "/api/halls/", {"venue": venue.pk, "name": "Screen 1", "layout": LAYOUT}, format="json"
    )

    assert response.status_code == 201
    body = response.json()
    assert body["seat_count"] == 14 * 18 + 4
    assert body["seats_for_sale"] == 14 * 18 + 4 - 1
    seats = organizer_api.get(f"/api/halls/{body['id']}/seats/").json()
    assert seats[0] == {
        "id": seats[0]["id"],
        "row": "A",
        "number": 1,
        "category": "standard",
        "accessible": False,
        "blocked": True,
    }
    assert [s["row"] for s in seats[-4:]] == ["P"] * 4
    assert all(s["accessible"] for s in seats[-4:])


def test_a_layout_error_names_its_field_and_creates_nothing(organizer_api, organizer):
    venue = VenueFactory.create(owner=organizer)
    bad = {"blocks": [{"rows": "A-C", "numbers": "1-5"}], "blocked": ["D1"]}

    response = organizer_api.post(
        "/api/halls/", {"venue": venue.pk, "name": "S", "layout": bad}, format="json"
    )

    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "layout.blocked.0"
    assert response.json()["errors"][0]["code"] == "unknown_seat"
    assert not Hall.objects.exists()


@pytest.mark.parametrize(
    "layout",
    [
        {"blocks": []},
        {"blocks": [{"rows": 5, "numbers": "1-3"}]},
        {"blocks": [{"rows": "A", "numbers": True}]},
        {"blocks": [{"rows": "A", "numbers": [0, 1]}]},
        {"blocks": [{"rows": "A", "numbers": "1-3", "category": "no/slash"}]},
        {"blocks": "A-C"},
        {"blocks": [{"rows": "A-ZZ", "numbers": "1-9999"}]},
    ],
)
def test_malformed_layouts_are_a_400(organizer_api, organizer, layout):
    hall = HallFactory.create(venue__owner=organizer)
    response = organizer_api.put(f"/api/halls/{hall.pk}/layout/", layout, format="json")
    assert response.status_code == 400
    assert response.json()["errors"]
    assert not Seat.objects.exists()


def test_relaying_a_layout_keeps_seat_ids_and_refuses_to_drop_sold_seats(
    organizer_api, organizer, customer
):
    from tessera.events.services.tickets import ticket_booking_create_for_seats

    show = ReservedShowFactory.create(event__owner=organizer, venue__owner=organizer)
    hall = Hall.objects.get(shows=show)
    c4 = Seat.objects.get(hall=hall, row="C", number=4)
    ticket_booking_create_for_seats(show=show, seat_ids=[c4.pk], customer=customer, actor=customer)

    smaller = organizer_api.put(
        f"/api/halls/{hall.pk}/layout/",
        {"blocks": [{"rows": "A-B", "numbers": "1-4"}]},
        format="json",
    )
    assert smaller.status_code == 409
    assert smaller.json()["code"] == "layout_in_use"
    assert smaller.json()["seats"] == ["C4"]

    bigger = organizer_api.put(
        f"/api/halls/{hall.pk}/layout/",
        {"blocks": [{"rows": "A-C", "numbers": "1-5", "category": "vip"}]},
        format="json",
    )
    assert bigger.status_code == 200
    assert {k: bigger.json()[k] for k in ("created", "updated", "removed", "total")} == {
        "created": 3,
        "updated": 12,
        "removed": 0,
        "total": 15,
    }
    assert Seat.objects.get(pk=c4.pk).category == "vip"


def test_one_seat_is_blocked_by_a_patch(organizer_api, organizer):
    hall = HallFactory.create(venue__owner=organizer)
    seat = add_seats(hall, "A", "1-2")[0]

    response = organizer_api.patch(
        f"/api/halls/{hall.pk}/seats/{seat.pk}/", {"blocked": True, "category": "broken"}
    )

    assert response.status_code == 200
    assert response.json()["blocked"] is True
    assert organizer_api.patch(f"/api/halls/{hall.pk}/seats/{seat.pk}/", {}).status_code == 400
    other = HallFactory.create(venue=hall.venue)
    assert (
        organizer_api.patch(
            f"/api/halls/{other.pk}/seats/{seat.pk}/", {"blocked": True}
        ).status_code
        == 404
    )


def test_halls_of_someone_else(organizer_api):
    hall = HallFactory.create()
    assert organizer_api.get(f"/api/halls/{hall.pk}/").status_code == 403
    response = organizer_api.post("/api/halls/", {"venue": hall.venue_id, "name": "Mine"})
    assert response.status_code == 403
    assert Hall.objects.count() == 1


def test_hall_names_are_unique_per_venue(organizer_api, organizer):
    hall = HallFactory.create(venue__owner=organizer, name="Screen 1")
    response = organizer_api.post("/api/halls/", {"venue": hall.venue_id, "name": "Screen 1"})
    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "unique"
    listed = organizer_api.get(f"/api/halls/?venue={hall.venue_id}").json()
    assert listed["count"] == 1
    assert organizer_api.get("/api/halls/?venue=x").status_code == 400


def test_a_hall_is_renamed_by_its_organizer_only(organizer_api, client_for, make_user, organizer):
    hall = HallFactory.create(venue__owner=organizer, name="Screen 1")
    HallFactory.create(venue=hall.venue, name="Screen 2")

    renamed = organizer_api.patch(f"/api/halls/{hall.pk}/", {"name": "Main screen"})
    taken = organizer_api.put(f"/api/halls/{hall.pk}/", {"name": "Screen 2"})
    stranger = client_for(make_user(Role.ORGANIZER)).patch(
        f"/api/halls/{hall.pk}/", {"name": "Mine"}
    )

    assert renamed.status_code == 200
    assert renamed.json()["name"] == "Main screen"
    assert (taken.status_code, taken.json()["errors"][0]["code"]) == (400, "unique")
    assert stranger.status_code == 403
    assert Hall.objects.get(pk=hall.pk).name == "Main screen"
