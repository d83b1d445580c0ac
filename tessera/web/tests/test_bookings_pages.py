"""My bookings: lists, one booking, its calendar file, cancelling, moving, waiting-list offers."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import time_machine
from django.test import Client

from tessera.accounts.roles import Role
from tessera.bookings.models import Booking, BookingStatus
from tessera.bookings.services.create import booking_create_time
from tessera.bookings.services.status import booking_cancel

from .conftest import NOW

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]


def _book(customer: Any, resource: Any, hour: int, day: int = 2, **kwargs: Any) -> Booking:
    start = datetime(2027, 3, day, hour, 0, tzinfo=UTC)
    return booking_create_time(actor=customer, resource_ids=[resource.pk], start=start, **kwargs)


def test_upcoming_and_past(signed_in: Client, customer: Any, chair: Any, make_user: Any) -> None:
    upcoming = _book(customer, chair, 10)
    gone = _book(customer, chair, 11)
    booking_cancel(booking_id=gone.pk, actor=customer)
    _book(make_user(Role.CUSTOMER), chair, 12)  # someone else's
    page = signed_in.get("/bookings/")
    assert [v.booking.pk for v in page.context["views"]] == [upcoming.pk]
    body = page.content.decode()
    assert "Chair of Bruno" in body
    assert "Confirmed" in body
    past = signed_in.get("/bookings/?show=past")
    assert [v.booking.pk for v in past.context["views"]] == [gone.pk]
    assert "Cancelled" in past.content.decode()


def test_my_bookings_needs_sign_in(client: Client) -> None:
    response = client.get("/bookings/")
    assert response.status_code == 302
    assert response["Location"] == "/account/sign-in/?next=/bookings/"


def test_a_booking_page_with_its_history(signed_in: Client, customer: Any, chair: Any) -> None:
    booking = _book(customer, chair, 10)
    page = signed_in.get(f"/bookings/{booking.pk}/")
    assert page.status_code == 200
    body = page.content.decode()
    assert booking.reference in body
    assert "Europe/Lisbon" in body
    assert f"/bookings/{booking.pk}/calendar.ics" in body
    assert f"/bookings/{booking.pk}/reschedule/" in body
    assert len(page.context["history"]) == 1


def test_someone_elses_booking_is_not_found(signed_in: Client, chair: Any, make_user: Any) -> None:
    booking = _book(make_user(Role.CUSTOMER), chair, 10)
    for url in ("", "calendar.ics", "cancel/", "reschedule/"):
        response = signed_in.get(f"/bookings/{booking.pk}/{url}")
        assert response.status_code == 404, url
    refused = signed_in.post(f"/bookings/{booking.pk}/cancel/", {})
    assert refused.status_code == 404
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CONFIRMED


def test_the_calendar_file(signed_in: Client, customer: Any, chair: Any) -> None:
    booking = _book(customer, chair, 10)
    response = signed_in.get(f"/bookings/{booking.pk}/calendar.ics")
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    body = response.content.decode()
    assert "DTSTART:20270302T100000Z" in body
    assert "SUMMARY:Chair of Bruno" in body
    assert "METHOD:PUBLISH" in body
    assert f"booking-{booking.reference}.ics" in response["Content-Disposition"]


def test_cancel_shows_the_rule_first_then_cancels(
    signed_in: Client, customer: Any, chair: Any
) -> None:
    booking = _book(customer, chair, 10)
    page = signed_in.get(f"/bookings/{booking.pk}/cancel/")
    body = page.content.decode()
    assert "The cancellation rule" in body
    assert "Free cancellation until" in body
    assert page.context["view"].cancel_until == booking.starts_at - timedelta(minutes=120)
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CONFIRMED  # a GET changes nothing
    done = signed_in.post(f"/bookings/{booking.pk}/cancel/", {"reason": "ill"}, follow=True)
    assert "Cancelled." in done.content.decode()
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED
    assert booking.cancel_reason == "ill"


def test_too_late_to_cancel_is_a_sentence_and_a_409(
    signed_in: Client, customer: Any, chair: Any, frozen: Any
) -> None:
    booking = _book(customer, chair, 10)
    frozen.move_to(datetime(2027, 3, 2, 9, 0, tzinfo=UTC))  # an hour before; the rule is 2 h
    page = signed_in.get(f"/bookings/{booking.pk}/cancel/")
    assert "only the provider can cancel it now" in page.content.decode()
    refused = signed_in.post(f"/bookings/{booking.pk}/cancel/", {})
    assert refused.status_code == 409
    assert "too late to cancel or move this booking online" in refused.content.decode()
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CONFIRMED


def test_reschedule_with_the_same_picker(signed_in: Client, customer: Any, chair: Any) -> None:
    booking = _book(customer, chair, 10)
    page = signed_in.get(f"/bookings/{booking.pk}/reschedule/?date=2027-03-02")
    starts = [s.start for s in page.context["picker"].slots if not s.full]
    assert booking.starts_at in starts  # its own time counts as free
    moved = signed_in.post(
        f"/bookings/{booking.pk}/reschedule/", {"start": "2027-03-03T11:00:00+00:00"}, follow=True
    )
    assert "Moved." in moved.content.decode()
    booking.refresh_from_db()
    assert booking.starts_at == datetime(2027, 3, 3, 11, 0, tzinfo=UTC)


def test_a_refused_move_leaves_the_booking(
    signed_in: Client, customer: Any, chair: Any, make_user: Any
) -> None:
    booking = _book(customer, chair, 10)
    _book(make_user(Role.CUSTOMER), chair, 11)
    refused = signed_in.post(
        f"/bookings/{booking.pk}/reschedule/", {"start": "2027-03-02T11:00:00+00:00"}, follow=True
    )
    assert "That time has just been taken." in refused.content.decode()
    booking.refresh_from_db()
    assert booking.starts_at == datetime(2027, 3, 2, 10, 0, tzinfo=UTC)


def test_a_cancelled_booking_cannot_be_moved(signed_in: Client, customer: Any, chair: Any) -> None:
    booking = _book(customer, chair, 10)
    booking_cancel(booking_id=booking.pk, actor=customer)
    page = signed_in.get(f"/bookings/{booking.pk}/reschedule/", follow=True)
    assert "Only a pending or confirmed booking can be moved." in page.content.decode()


@pytest.fixture
def offers(settings: Any) -> None:
    settings.TESSERA = {**settings.TESSERA, "WAITLIST_PROMOTE_TO": "pending"}


@pytest.mark.usefixtures("offers")
def test_an_offer_is_accepted_before_its_deadline(
    signed_in: Client, customer: Any, chair: Any, make_user: Any
) -> None:
    holder = make_user(Role.CUSTOMER)
    taken = _book(holder, chair, 10)
    waiting = _book(customer, chair, 10, waitlist=True)
    assert waiting.status == BookingStatus.WAITLISTED
    booking_cancel(booking_id=taken.pk, actor=holder)
    page = signed_in.get(f"/bookings/{waiting.pk}/")
    assert "A place is free for you" in page.content.decode()
    listed = signed_in.get("/bookings/")
    assert "A place is offered to you" in listed.content.decode()
    accepted = signed_in.post(f"/bookings/{waiting.pk}/accept/", follow=True)
    assert "Accepted. The place is yours." in accepted.content.decode()
    waiting.refresh_from_db()
    assert waiting.status == BookingStatus.CONFIRMED


@pytest.mark.usefixtures("offers")
def test_an_offer_after_its_deadline_is_refused_plainly(
    signed_in: Client, customer: Any, chair: Any, make_user: Any
) -> None:
    holder = make_user(Role.CUSTOMER)
    taken = _book(holder, chair, 10, day=5)
    waiting = _book(customer, chair, 10, day=5, waitlist=True)
    booking_cancel(booking_id=taken.pk, actor=holder)
    waiting.refresh_from_db()
    assert waiting.confirm_deadline is not None
    with time_machine.travel(waiting.confirm_deadline + timedelta(minutes=1), tick=False):
        refused = signed_in.post(f"/bookings/{waiting.pk}/accept/", follow=True)
    assert "The time to accept this offer has passed" in refused.content.decode()


@pytest.mark.usefixtures("offers")
def test_an_offer_can_be_declined(
    signed_in: Client, customer: Any, chair: Any, make_user: Any
) -> None:
    holder = make_user(Role.CUSTOMER)
    taken = _book(holder, chair, 10)
    waiting = _book(customer, chair, 10, waitlist=True)
    booking_cancel(booking_id=taken.pk, actor=holder)
    declined = signed_in.post(f"/bookings/{waiting.pk}/decline/", follow=True)
    assert "Declined." in declined.content.decode()
    waiting.refresh_from_db()
    assert waiting.status == BookingStatus.CANCELLED


def test_accepting_what_is_not_an_offer_is_refused(
    signed_in: Client, customer: Any, chair: Any
) -> None:
    booking = _book(customer, chair, 10)
    booking.status = BookingStatus.PENDING
    booking.save(update_fields=["status"])
    refused = signed_in.post(f"/bookings/{booking.pk}/accept/", follow=True)
    assert "You are not allowed to do that." in refused.content.decode()


def test_the_list_costs_the_same_whatever_its_length(
    signed_in: Client, customer: Any, chair: Any, django_assert_max_num_queries: Any
) -> None:
    for hour in (9, 10, 11, 12):
        _book(customer, chair, hour)
    with django_assert_max_num_queries(12):
        signed_in.get("/bookings/")
    assert NOW.year == 2027
