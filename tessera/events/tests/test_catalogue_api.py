"""`/api/events/` and `/api/shows/`: the catalogue, its filters, creating and changing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tessera.core.clock import utcnow
from tessera.events.models import Event, Show, ShowStatus
from tessera.events.services.holds import hold_create_for_places
from tessera.events.services.tickets import ticket_booking_create_for_places

from .factories import (
    EventFactory,
    HallFactory,
    ReservedShowFactory,
    ShowFactory,
    VenueFactory,
    add_seats,
)

pytestmark = pytest.mark.django_db

LEGACY = {
    "title": "Tech Conference",
    "description": "A conference about the latest in tech.",
    "date": "2031-08-01",
    "time": "10:00:00",
    "capacity": 200,
}


def test_the_earlier_platforms_event_shape_creates_an_event_with_one_show(
    organizer_api, organizer, api
):
    venue = VenueFactory.create(owner=organizer, timezone="Europe/Berlin", capacity=500)

    created = organizer_api.post("/api/events/", {**LEGACY, "venue": venue.pk})

    assert created.status_code == 201
    body = created.json()
    assert {k: body[k] for k in (*LEGACY, "venue")} == {**LEGACY, "venue": venue.pk}
    assert body["show_count"] == 1
    show = Show.objects.get(event_id=body["id"])
    assert show.starts_at == datetime(2031, 8, 1, 8, 0, tzinfo=UTC)
    assert show.capacity == 200
    read = api.get(f"/api/events/{body['id']}/")  # the catalogue is public
    assert read.status_code == 200
    assert read.json() == body


@pytest.mark.parametrize(
    ("change", "field", "code"),
    [
        ({"date": "2031-02-30"}, "date", "invalid"),
        ({"date": "9999-12-31"}, "date", "out_of_range"),
        ({"time": "25:00"}, "time", "invalid"),
        ({"capacity": -1}, "capacity", "min_value"),
        ({"venue": "one"}, "venue", "invalid"),
        ({"venue": 10**20}, "venue", "max_value"),
        ({"title": ""}, "title", "blank"),
        ({"date": "2001-01-01"}, "starts_at", "in_past"),
        ({"capacity": 100_000}, "capacity", "exceeds_venue_capacity"),
        ({"date": None}, "date", "null"),
    ],
)
def test_bad_event_input_is_a_400_and_creates_nothing(
    organizer_api, organizer, change, field, code
):
    venue = VenueFactory.create(owner=organizer, capacity=500)
    response = organizer_api.post("/api/events/", {**LEGACY, "venue": venue.pk, **change})
    assert response.status_code == 400, response.json()
    assert (response.json()["errors"][0]["field"], response.json()["errors"][0]["code"]) == (
        field,
        code,
    )
    assert not Event.objects.exists()
    assert not Show.objects.exists()


def test_half_the_legacy_fields_is_a_400(organizer_api):
    response = organizer_api.post("/api/events/", {"title": "T", "date": "2031-01-01"})
    assert response.status_code == 400
    assert {e["field"] for e in response.json()["errors"]} == {"time", "venue", "capacity"}


def test_an_event_without_a_show_then_shows_in_a_hall(organizer_api, organizer):
    venue = VenueFactory.create(owner=organizer)
    hall = HallFactory.create(venue=venue)
    add_seats(hall, "A-B", "1-5")
    event = organizer_api.post(
        "/api/events/", {"title": "Film", "category": "drama", "duration_minutes": 100}
    ).json()
    assert event["show_count"] == 0
    assert event["date"] is None

    starts = (utcnow() + timedelta(days=3)).replace(microsecond=0)
    show = organizer_api.post(
        "/api/shows/",
        {
            "event": event["id"],
            "venue": venue.pk,
            "hall": hall.pk,
            "starts_at": starts.isoformat(),
            "price": "9.50",
            "prices": {"premium": "14.00"},
        },
        format="json",
    )
    assert show.status_code == 201, show.json()
    body = show.json()
    assert body["seating"] == "reserved"
    assert body["capacity"] == 10
    assert body["places_left"] == 10
    assert body["prices"] == {"premium": "14.00"}
    assert body["price"] == "9.50"
    assert body["ends_at"] == (starts + timedelta(minutes=100)).isoformat().replace("+00:00", "Z")

    clash = organizer_api.post(
        "/api/shows/",
        {
            "event": event["id"],
            "venue": venue.pk,
            "hall": hall.pk,
            "starts_at": (starts + timedelta(minutes=30)).isoformat(),
        },
        format="json",
    )
    assert clash.status_code == 409
    assert clash.json()["code"] == "show_overlap"
    assert clash.json()["show_id"] == body["id"]
    assert Show.objects.count() == 1


@pytest.mark.parametrize(
    ("change", "field", "code"),
    [
        ({"starts_at": "2031-01-01T10:00:00"}, "starts_at", "naive_datetime"),
        ({"starts_at": "not a time"}, "starts_at", "invalid"),
        ({"ends_at": "2031-01-01T09:00:00Z"}, "ends_at", "end_before_start"),
        ({"price": "-1"}, "price", "min_value"),
        ({"price": "1e12"}, "price", "max_digits"),
        ({"price": "NaN"}, "price", "invalid"),
        ({"prices": {"bad/cat": "1"}}, "prices", "invalid"),
        ({"prices": ["1"]}, "prices", "not_a_dict"),
        ({"currency": "euro"}, "currency", "invalid"),
        ({"seating": "standing"}, "seating", "invalid_choice"),
        ({"event": 424242}, "event", "does_not_exist"),
        ({"hall": 424242}, "hall", "does_not_exist"),
    ],
)
def test_bad_show_input_is_a_400(organizer_api, organizer, change, field, code):
    event = EventFactory.create(owner=organizer)
    venue = VenueFactory.create(owner=organizer)
    good = {
        "event": event.pk,
        "venue": venue.pk,
        "starts_at": "2031-01-01T10:00:00Z",
        "capacity": 10,
    }
    response = organizer_api.post("/api/shows/", {**good, **change}, format="json")
    assert response.status_code == 400, response.json()
    assert (response.json()["errors"][0]["field"], response.json()["errors"][0]["code"]) == (
        field,
        code,
    )
    assert not Show.objects.exists()


def test_only_organizers_schedule_shows(customer_api):
    event = EventFactory.create()
    response = customer_api.post(
        "/api/shows/",
        {"event": event.pk, "venue": VenueFactory.create().pk, "starts_at": "2031-01-01T10:00Z"},
    )
    assert response.status_code == 403


def test_search_events_by_genre_text_venue_and_dates(api):
    berlin = VenueFactory.create(timezone="Europe/Berlin")
    jazz = EventFactory.create(title="Night of Jazz", category="concert")
    film = EventFactory.create(title="Quiet Film", category="drama", description="About jazz.")
    EventFactory.create(title="Empty", category="concert")
    day = datetime(2031, 6, 10, 18, 0, tzinfo=UTC)
    ShowFactory.create(event=jazz, venue=berlin, starts_at=day, local_date=day.date())
    ShowFactory.create(
        event=film, starts_at=day + timedelta(days=5), local_date=(day + timedelta(days=5)).date()
    )

    def ids(query: str) -> list[int]:
        response = api.get(f"/api/events/?{query}")
        assert response.status_code == 200, response.json()
        return [e["id"] for e in response.json()["results"]]

    assert set(ids("category=concert")) == {jazz.pk, Event.objects.get(title="Empty").pk}
    assert ids("genre=drama") == [film.pk]
    assert set(ids("q=jazz")) == {jazz.pk, film.pk}
    assert ids(f"venue={berlin.pk}") == [jazz.pk]
    assert ids("date_from=2031-06-11") == [film.pk]
    assert ids("date_from=2031-06-10&date_to=2031-06-10") == [jazz.pk]
    assert api.get("/api/events/?date_from=yesterday").status_code == 400
    assert api.get("/api/events/?venue=-3").status_code == 400


def test_search_shows_and_available_showtimes(api, make_user):
    event = EventFactory.create()
    soon = ShowFactory.create(event=event, capacity=2)
    later = ShowFactory.create(
        event=event,
        venue=soon.venue,
        starts_at=soon.starts_at + timedelta(days=1),
        ends_at=soon.ends_at + timedelta(days=1),
        capacity=5,
    )
    cancelled = ShowFactory.create(event=event, venue=soon.venue, status=ShowStatus.CANCELLED)
    buyer = make_user()
    ticket_booking_create_for_places(show=soon, quantity=1, customer=buyer, actor=buyer)
    hold_create_for_places(show=soon, quantity=1, actor=make_user())

    showtimes = api.get(f"/api/events/{event.pk}/showtimes/").json()
    assert [(s["id"], s["places_left"]) for s in showtimes] == [(later.pk, 5)]

    listed = api.get(f"/api/shows/?event={event.pk}&ordering=starts_at").json()["results"]
    assert cancelled.pk in {s["id"] for s in listed}
    scheduled = api.get(f"/api/shows/?event={event.pk}&status=scheduled&ordering=-starts_at")
    assert [(s["id"], s["places_left"]) for s in scheduled.json()["results"]] == [
        (later.pk, 5),
        (soon.pk, 0),
    ]
    sold_out = api.get(f"/api/shows/?event={event.pk}&available=false").json()["results"]
    assert {s["id"] for s in sold_out} == {soon.pk}
    on_sale = api.get(f"/api/shows/?event={event.pk}&available=true").json()["results"]
    assert [s["id"] for s in on_sale] == [later.pk]
    by_date = api.get(f"/api/shows/?date={later.local_date.isoformat()}").json()["results"]
    assert later.pk in {s["id"] for s in by_date}
    assert api.get("/api/shows/?starts_after=2031-01-01T00:00:00").status_code == 400


def test_show_lists_take_a_fixed_number_of_queries(api):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert api.get("/api/shows/").status_code == 200
        return len(queries)

    ShowFactory.create()
    ReservedShowFactory.create()
    few = count()
    for _ in range(4):
        ShowFactory.create()
        ReservedShowFactory.create()
    assert count() == few


def test_event_lists_take_a_fixed_number_of_queries(api):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert api.get("/api/events/").status_code == 200
        return len(queries)

    ShowFactory.create()
    few = count()
    for _ in range(5):
        ShowFactory.create()
    assert count() == few


def test_moving_resizing_and_cancelling_a_show(organizer_api, organizer, customer):
    show = ShowFactory.create(event__owner=organizer, venue__owner=organizer, capacity=10)
    booking = ticket_booking_create_for_places(
        show=show, quantity=4, customer=customer, actor=customer
    )

    too_small = organizer_api.patch(f"/api/shows/{show.pk}/", {"capacity": 3})
    assert too_small.status_code == 409
    assert too_small.json()["code"] == "capacity_below_sold"
    moved = organizer_api.patch(
        f"/api/shows/{show.pk}/",
        {"starts_at": (show.starts_at + timedelta(hours=1)).isoformat(), "capacity": 6},
    )
    assert moved.status_code == 200
    assert moved.json()["places_left"] == 2
    booking.refresh_from_db()
    assert booking.starts_at == show.starts_at + timedelta(hours=1)

    cancelled = organizer_api.post(f"/api/shows/{show.pk}/cancel/", {"reason": "Flood"})
    assert cancelled.status_code == 200
    assert cancelled.json()["status"] == "cancelled"
    booking.refresh_from_db()
    assert (booking.status, booking.cancel_reason) == ("cancelled", "Flood")
    again = organizer_api.patch(f"/api/shows/{show.pk}/", {"capacity": 8})
    assert again.status_code == 409
    assert again.json()["code"] == "show_cancelled"


def test_someone_elses_show_or_event_cannot_be_changed(organizer_api):
    show = ShowFactory.create()
    assert organizer_api.patch(f"/api/shows/{show.pk}/", {"capacity": 3}).status_code == 403
    assert organizer_api.post(f"/api/shows/{show.pk}/cancel/").status_code == 403
    assert organizer_api.patch(f"/api/events/{show.event_id}/", {"title": "x"}).status_code == 403
    assert Show.objects.get(pk=show.pk).status == ShowStatus.SCHEDULED


def test_an_event_is_changed_by_its_organizer(organizer_api, organizer):
    event = EventFactory.create(owner=organizer)
    response = organizer_api.patch(
        f"/api/events/{event.pk}/", {"title": "New", "requires_approval": True}
    )
    assert response.status_code == 200
    assert response.json()["title"] == "New"
    assert response.json()["requires_approval"] is True
    assert organizer_api.patch(f"/api/events/{event.pk}/", {}).status_code == 400


def test_put_changes_an_event_like_patch_and_bad_values_are_400(organizer_api, organizer):
    event = EventFactory.create(owner=organizer)
    response = organizer_api.put(
        f"/api/events/{event.pk}/", {"category": "jazz", "duration_minutes": 90}
    )
    assert response.status_code == 200
    assert (response.json()["category"], response.json()["duration_minutes"]) == ("jazz", 90)
    bad = organizer_api.put(f"/api/events/{event.pk}/", {"duration_minutes": 0})
    assert bad.status_code == 400
    assert organizer_api.get("/api/events/424242/").status_code == 404
