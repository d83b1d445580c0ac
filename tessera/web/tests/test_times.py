"""The slot picker, booking in one step, the waiting list of a full slot, gigs and moving."""

from __future__ import annotations

from datetime import UTC, datetime, time
from typing import Any

import pytest
from django.test import Client

from tessera.accounts.roles import Role
from tessera.bookings.models import Booking, BookingStatus
from tessera.scheduling.models import Closure
from tessera.scheduling.tests.factories import make_resource

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]


def test_the_picker_shows_the_month_and_the_free_slots_in_the_places_zone(
    client: Client, chair: Any
) -> None:
    Closure.objects.create(
        resource=chair, start_date=datetime(2027, 3, 3).date(), end_date=datetime(2027, 3, 3).date()
    )
    response = client.get(f"/resources/{chair.pk}/?month=2027-03&date=2027-03-02")
    assert response.status_code == 200
    picker = response.context["picker"]
    cells = {cell.day.day: cell.state for week in picker.weeks for cell in week if cell.in_month}
    assert cells[2] == "free"
    assert cells[3] == "closed"  # the closure
    assert cells[6] == "closed"  # a Saturday
    assert cells[1] == "free"  # today, from 8:00 Lisbon
    assert [s.start.astimezone(UTC).hour for s in picker.slots][:2] == [9, 9]
    body = response.content.decode()
    assert "Europe/Lisbon" in body
    assert "the local time of the place" in body
    assert "Rua Augusta 120" in body


def test_a_visitor_with_a_time_zone_sees_their_own_and_can_switch(
    chair: Any, customer: Any
) -> None:
    customer.timezone = "America/New_York"
    customer.save()
    client = Client()
    client.force_login(customer)
    response = client.get(f"/resources/{chair.pk}/?month=2027-03&date=2027-03-02")
    assert response.context["zone_name"] == "America/New_York"
    assert "your time zone" in response.content.decode()
    first = response.context["picker"].slots[0].start
    assert first == datetime(2027, 3, 2, 9, 0, tzinfo=UTC)
    place = client.get(f"/resources/{chair.pk}/?tz=place&date=2027-03-02")
    assert place.context["zone_name"] == "Europe/Lisbon"


def test_htmx_gets_only_the_picker(client: Client, chair: Any) -> None:
    response = client.get(
        f"/resources/{chair.pk}/?month=2027-04", HTTP_HX_REQUEST="true", HTTP_HX_TARGET="picker"
    )
    body = response.content.decode()
    assert 'id="picker"' in body
    assert "<html" not in body
    assert f'action="/resources/{chair.pk}/book/"' in body  # the swapped-in slots still book


def test_a_past_or_bad_month_falls_back_on_this_month(client: Client, chair: Any) -> None:
    for month in ("2020-01", "nonsense", "2027-13"):
        response = client.get(f"/resources/{chair.pk}/?month={month}")
        assert response.status_code == 200
        assert response.context["picker"].month == datetime(2027, 3, 1).date()


def test_an_unknown_resource_is_a_404_page(client: Client) -> None:
    response = client.get("/resources/999999/")
    assert response.status_code == 404
    assert "does not exist" in response.content.decode()


def test_booking_a_slot_in_one_step(signed_in: Client, chair: Any, customer: Any) -> None:
    response = signed_in.post(
        f"/resources/{chair.pk}/book/", {"start": "2027-03-02T09:30:00+00:00"}
    )
    booking = Booking.objects.get(customer=customer)
    assert response.status_code == 302
    assert response["Location"] == f"/bookings/{booking.pk}/"
    assert booking.status == BookingStatus.CONFIRMED
    assert booking.starts_at == datetime(2027, 3, 2, 9, 30, tzinfo=UTC)
    page = signed_in.get(response["Location"])
    assert "Booked. See you there!" in page.content.decode()


def test_booking_needs_sign_in_and_keeps_nothing(client: Client, chair: Any) -> None:
    response = client.post(f"/resources/{chair.pk}/book/", {"start": "2027-03-02T09:30:00+00:00"})
    assert response.status_code == 302
    assert response["Location"].startswith("/account/sign-in/?next=")
    assert Booking.objects.count() == 0


@pytest.mark.parametrize(
    ("start", "sentence"),
    [
        ("2027-03-06T10:00:00+00:00", "outside the opening hours"),  # Saturday
        ("2027-03-01T07:00:00+00:00", "too soon to book"),  # in the past
        ("not a time", "Choose one of the times offered."),
        ("", "Choose one of the times offered."),
    ],
)
def test_a_refused_booking_says_why_and_writes_nothing(
    signed_in: Client, chair: Any, start: str, sentence: str
) -> None:
    response = signed_in.post(f"/resources/{chair.pk}/book/", {"start": start}, follow=True)
    assert response.status_code == 200
    assert sentence in response.content.decode()
    assert Booking.objects.count() == 0


def test_a_taken_slot_shows_full_and_offers_the_waiting_list(
    signed_in: Client, chair: Any, make_user: Any
) -> None:
    other = Client()
    other.force_login(make_user(Role.CUSTOMER))
    other.post(f"/resources/{chair.pk}/book/", {"start": "2027-03-02T09:00:00+00:00"})
    page = signed_in.get(f"/resources/{chair.pk}/?date=2027-03-02")
    first = page.context["picker"].slots[0]
    assert first.full
    assert "Join the waiting list" in page.content.decode()
    taken = signed_in.post(
        f"/resources/{chair.pk}/book/", {"start": "2027-03-02T09:00:00+00:00"}, follow=True
    )
    assert "That time has just been taken." in taken.content.decode()
    waiting = signed_in.post(
        f"/resources/{chair.pk}/book/",
        {"start": "2027-03-02T09:00:00+00:00", "waitlist": "on"},
        follow=True,
    )
    assert "You are on the waiting list." in waiting.content.decode()
    assert "number 1 on the waiting list" in waiting.content.decode()


def test_a_musician_books_a_gig_at_a_venue_in_a_slot_free_for_both(
    make_user: Any, chair: Any
) -> None:
    musician_owner = make_user(Role.PROVIDER, username="mia")
    band = make_resource(name="Mia's band", kind="musician", owner=musician_owner)
    hall = make_resource(
        name="Blue hall",
        kind="venue",
        default_duration=120,
        hours=[(d, time(18), time(23)) for d in range(7)],
    )
    client = Client()
    client.force_login(musician_owner)
    page = client.get(f"/resources/{hall.pk}/")
    assert "Book a gig for Mia&#x27;s band" in page.content.decode()
    page = client.get(f"/resources/{hall.pk}/?with={band.pk}&date=2027-03-02")
    assert page.context["partner"] == band
    assert page.context["picker"].slots == []  # the band plays 9-17, the hall opens at 18
    band_late = make_resource(
        name="Night band", kind="musician", owner=musician_owner, hours=[(1, time(19), time(23))]
    )
    page = client.get(f"/resources/{hall.pk}/?with={band_late.pk}&date=2027-03-02")
    slot = page.context["picker"].slots[0]
    response = client.post(
        f"/resources/{hall.pk}/book/",
        {"start": slot.start.isoformat(), "resource_with": band_late.pk},
    )
    booking = Booking.objects.get(customer=musician_owner)
    assert response["Location"] == f"/bookings/{booking.pk}/"
    assert booking.kind == "gig"
    assert sorted(a.resource_id for a in booking.allocations.all()) == sorted(
        [hall.pk, band_late.pk]
    )


def test_someone_elses_musician_is_ignored(make_user: Any, signed_in: Client) -> None:
    band = make_resource(name="Not yours", kind="musician")
    hall = make_resource(name="Hall", kind="venue")
    page = signed_in.get(f"/resources/{hall.pk}/?with={band.pk}")
    assert page.context["partner"] is None
