"""The provider's dashboard: today and week agendas per resource (in the resource's zone, named),
approve / decline / no-show through the booking services, the waiting list per day, and a
sentence for everyone who is not a provider."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client

from tessera.accounts.roles import Role
from tessera.bookings.models import Booking, BookingStatusChange, WaitlistEntry
from tessera.bookings.tests.factories import make_time_booking
from tessera.scheduling.tests.factories import make_resource

from .conftest import NOW

pytestmark = pytest.mark.usefixtures("frozen")
DASH = "/dashboard/"


@pytest.fixture
def provider(chair: Any) -> Any:
    return chair.owner


@pytest.fixture
def dash(provider: Any) -> Client:
    client = Client()
    client.force_login(provider)
    return client


def _book(chair: Any, customer: Any, hour: int, status: str = "confirmed", day: int = 0) -> Any:
    start = NOW.replace(hour=hour) + timedelta(days=day)
    booking = make_time_booking(
        customer=customer,
        resources=[chair],
        start=start,
        end=start + timedelta(minutes=30),
        status=status,
    )
    BookingStatusChange.objects.create(booking=booking, from_status="", to_status=status, at=NOW)
    return booking


def _pending(chair: Any, customer: Any, hour: int) -> Any:
    booking = _book(chair, customer, hour, status="pending")
    booking.allocations.update(approved=False)
    return booking


class TestWho:
    def test_the_navigation_offers_the_dashboard_to_providers_only(
        self, dash: Client, signed_in: Client
    ) -> None:
        link = b'href="/dashboard/"'
        assert link in dash.get("/").content
        assert link not in signed_in.get("/").content

    def test_anonymous_is_sent_to_sign_in(self, client: Client) -> None:
        response = client.get(DASH)
        assert response.status_code == 302 and "/account/sign-in/" in response["Location"]

    def test_a_customer_is_told_in_a_sentence(self, signed_in: Client) -> None:
        response = signed_in.get(DASH)
        assert response.status_code == 403
        assert "The dashboard is for providers" in response.content.decode()

    def test_a_customer_cannot_act(self, signed_in: Client, chair, customer) -> None:
        booking = _pending(chair, customer, 10)
        assert signed_in.post(f"{DASH}bookings/{booking.pk}/approve/").status_code == 403
        booking.refresh_from_db()
        assert booking.status == "pending"


class TestAgenda:
    def test_today_lists_the_bookings_in_the_resource_zone(self, dash, chair, customer) -> None:
        chair.timezone = "America/New_York"
        chair.save(update_fields=["timezone"])
        booking = _book(chair, customer, 15)  # 15:00 UTC = 10:00 in New York
        _book(chair, customer, 15, day=1)  # tomorrow: not today
        html = dash.get(DASH, {"day": "2027-03-01"}).content.decode()
        assert "times in America/New_York" in html
        assert "10:00" in html and booking.reference in html
        assert html.count('id="booking-') == 1

    def test_week_shows_seven_days_and_the_analytics_link(self, dash, chair, customer) -> None:
        for day in range(9):
            _book(chair, customer, 10, day=day)
        html = dash.get(DASH, {"view": "week", "day": "2027-03-03"}).content.decode()
        assert html.count('id="booking-') == 7  # Monday 1 to Sunday 7 March
        assert 'href="/analytics/"' in html

    def test_someone_elses_resources_are_not_shown(self, dash, make_user, customer) -> None:
        theirs = make_resource(name="Other chair", owner=make_user(Role.PROVIDER))
        _book(theirs, customer, 10)
        html = dash.get(DASH).content.decode()
        assert "Other chair" not in html and 'id="booking-' not in html

    def test_the_waiting_list_of_the_day_in_line_order(self, dash, chair, make_user) -> None:
        for position, name in ((2, "waiter-two"), (1, "waiter-one")):
            waiting = _book(chair, make_user(username=name), 11, status="waitlisted")
            WaitlistEntry.objects.create(
                booking=waiting, list_key="k", position=position, joined_at=NOW
            )
        html = dash.get(DASH).content.decode()
        assert "Waiting list: 2 people" in html
        assert html.index("waiter-one") < html.index("waiter-two")

    def test_a_malformed_day_is_a_400_with_a_sentence(self, dash) -> None:
        response = dash.get(DASH, {"day": "tomorrow"})
        assert response.status_code == 400
        assert "not valid" in response.content.decode()

    def test_week_of_500_bookings_costs_a_fixed_number_of_queries(
        self, dash, chair, customer, make_user, django_assert_max_num_queries
    ) -> None:
        rooms = [chair] + [make_resource(name=f"Room {i}", owner=chair.owner) for i in range(4)]
        rows = [
            Booking(
                customer=customer,
                status="confirmed",
                kind="time",
                starts_at=NOW + timedelta(hours=i % 150),
                ends_at=NOW + timedelta(hours=i % 150, minutes=30),
            )
            for i in range(500)
        ]
        Booking.objects.bulk_create(rows)
        from tessera.bookings.models import TimeAllocation

        TimeAllocation.objects.bulk_create(
            TimeAllocation(
                booking=b,
                resource=rooms[i % 5],
                starts_at=b.starts_at,
                ends_at=b.ends_at,
                occupied_from=b.starts_at,
                occupied_to=b.ends_at,
                exclusive=False,
            )
            for i, b in enumerate(Booking.objects.order_by("pk"))
        )
        with django_assert_max_num_queries(12):
            response = dash.get(DASH, {"view": "week", "day": "2027-03-01"})
        assert response.content.decode().count('id="booking-') == 500


class TestActions:
    def test_approve(self, dash, chair, customer) -> None:
        booking = _pending(chair, customer, 10)
        response = dash.post(
            f"{DASH}bookings/{booking.pk}/approve/", {"view": "today"}, follow=True
        )
        booking.refresh_from_db()
        assert booking.status == "confirmed"
        assert "The booking is approved." in response.content.decode()

    def test_decline_frees_the_time(self, dash, chair, customer) -> None:
        booking = _pending(chair, customer, 10)
        response = dash.post(f"{DASH}bookings/{booking.pk}/decline/", {"view": "week"})
        assert response.status_code == 302 and response["Location"] == f"{DASH}?view=week"
        booking.refresh_from_db()
        assert booking.status == "declined"
        assert not booking.allocations.filter(is_live=True).exists()

    def test_no_show_before_the_start_is_refused_with_a_sentence(self, dash, chair, customer):
        booking = _book(chair, customer, 10)
        response = dash.post(f"{DASH}bookings/{booking.pk}/no-show/")
        assert response.status_code == 409
        assert "before the booking starts" in response.content.decode()
        booking.refresh_from_db()
        assert booking.status == "confirmed"

    def test_no_show_after_the_job_completed_it(self, dash, chair, customer, frozen) -> None:
        booking = _book(chair, customer, 10)
        from tessera.bookings.services.timed import bookings_advance_due

        frozen.move_to(NOW + timedelta(hours=5))
        bookings_advance_due()
        booking.refresh_from_db()
        assert booking.status == "completed"
        html = dash.get(DASH).content.decode()
        assert "No-show" in html
        dash.post(f"{DASH}bookings/{booking.pk}/no-show/")
        booking.refresh_from_db()
        assert booking.status == "no_show"

    def test_someone_elses_booking_is_not_found(self, dash, make_user, customer) -> None:
        theirs = make_resource(name="Other chair", owner=make_user(Role.PROVIDER))
        booking = _book(theirs, customer, 10, status="pending")
        response = dash.post(f"{DASH}bookings/{booking.pk}/decline/")
        assert response.status_code in (403, 404)
        booking.refresh_from_db()
        assert booking.status == "pending"

    def test_get_is_refused(self, dash, chair, customer) -> None:
        booking = _pending(chair, customer, 10)
        assert dash.get(f"{DASH}bookings/{booking.pk}/approve/").status_code == 405
