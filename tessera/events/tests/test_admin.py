"""The admin pages of the events app render, and their writes go through the services."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from tessera.accounts.roles import Role
from tessera.events.models import Seat, Show
from tessera.events.services.holds import hold_create_for_seats
from tessera.events.services.tickets import ticket_booking_create_for_seats

from .factories import HallFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client_(make_user) -> Client:
    client = Client()
    client.force_login(make_user(Role.STAFF, is_superuser=True))
    return client


def test_every_page_renders(admin_client_, seated_show, seats, customer):
    ticket_booking_create_for_seats(
        show=seated_show, seat_ids=[seats[0].pk], customer=customer, actor=customer
    )
    hold = hold_create_for_seats(show=seated_show, seat_ids=[seats[1].pk], actor=customer)
    pages = [
        "/admin/events/venue/",
        f"/admin/events/venue/{seated_show.venue_id}/change/",
        "/admin/events/hall/",
        f"/admin/events/hall/{seated_show.hall_id}/change/",
        "/admin/events/event/",
        f"/admin/events/event/{seated_show.event_id}/change/",
        "/admin/events/show/",
        f"/admin/events/show/{seated_show.pk}/change/",
        "/admin/events/hold/",
        f"/admin/events/hold/{hold.pk}/change/",
    ]
    for page in pages:
        assert admin_client_.get(page).status_code == 200, page
    show_page = admin_client_.get(f"/admin/events/show/{seated_show.pk}/change/").content.decode()
    assert "available: 10, held: 1, booked: 1, blocked: 0" in show_page


def test_a_layout_is_applied_from_the_hall_page(admin_client_):
    hall = HallFactory.create()
    layout = {"blocks": [{"rows": "A-B", "numbers": "1-3"}], "blocked": ["B3"]}

    response = admin_client_.post(
        f"/admin/events/hall/{hall.pk}/change/",
        {"venue": hall.venue_id, "name": hall.name, "layout": json.dumps(layout)},
    )

    assert response.status_code == 302
    assert Seat.objects.filter(hall=hall).count() == 6
    assert Seat.objects.get(hall=hall, row="B", number=3).blocked


def test_a_bad_layout_is_a_form_error(admin_client_):
    hall = HallFactory.create()
    response = admin_client_.post(
        f"/admin/events/hall/{hall.pk}/change/",
        {"venue": hall.venue_id, "name": hall.name, "layout": '{"blocks": [{"rows": "C-A"}]}'},
    )
    assert response.status_code == 200
    assert "Malformed block" in response.content.decode() or "runs backwards" in (
        response.content.decode()
    )
    assert not Seat.objects.filter(hall=hall).exists()


def test_the_cancel_action_uses_the_service(admin_client_, seated_show, seats, customer):
    booking = ticket_booking_create_for_seats(
        show=seated_show, seat_ids=[seats[0].pk], customer=customer, actor=customer
    )
    response = admin_client_.post(
        "/admin/events/show/", {"action": "cancel_shows", "_selected_action": [seated_show.pk]}
    )
    assert response.status_code == 302
    assert Show.objects.get(pk=seated_show.pk).status == "cancelled"
    booking.refresh_from_db()
    assert booking.status == "cancelled"
    assert booking.history.count() == 2
