"""Booking without an account: the hold, the emailed confirmation link, lapsing, refusals."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client

from tessera.accounts.models import User
from tessera.accounts.roles import Role
from tessera.bookings.models import Booking, BookingStatus, BookingStatusChange
from tessera.bookings.services.status import booking_cancel, booking_expire_overdue
from tessera.notifications.models import NotificationPreference
from tessera.web.models import GuestBooking, GuestCustomer

from .conftest import NOW
from .mailbox import deliver_outbox, emails_to, link

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]

START = "2027-03-02T09:00:00+00:00"  # Tuesday 9:00 in Lisbon


@pytest.fixture
def guest_chair(chair: Any) -> Any:
    chair.guest_booking = True
    chair.save(update_fields=["guest_booking"])
    return chair


def _details(**changes: str) -> dict[str, str]:
    return {
        "start": START,
        "name": "Gil Guest",
        "email": "gil@example.com",
        "phone": "+351 912 345 678",
        **changes,
    }


def _book(client: Client, resource: Any, **changes: str) -> Any:
    return client.post(f"/resources/{resource.pk}/guest/", _details(**changes))


def test_a_guest_holds_a_time_and_confirms_it_through_the_emailed_link(
    client: Client, guest_chair: Any
) -> None:
    response = _book(client, guest_chair)
    assert response.status_code == 201
    assert "gil@example.com" in response.content.decode()
    booking = Booking.objects.get()
    assert booking.status == BookingStatus.PENDING
    assert booking.confirm_deadline == NOW + timedelta(minutes=30)
    guest = booking.customer
    assert guest.email == "gil@example.com" and not guest.has_usable_password()
    assert GuestCustomer.objects.filter(user=guest).exists()
    preference = NotificationPreference.objects.get(user=guest)
    assert (preference.phone_number, preference.language) == ("+351912345678", "en")
    assert not preference.sms_enabled  # kept to reach them, not to text them unasked

    deliver_outbox()
    [created] = emails_to("gil@example.com")
    assert created.subject.startswith("Booking request received")
    confirm = link(created, "/guest/confirm/")
    assert "/manage/" in created.body  # the manage links come with it

    page = client.get(confirm)
    assert page.status_code == 200
    assert Booking.objects.get(pk=booking.pk).status == BookingStatus.PENDING  # GET: nothing
    response = client.post(confirm)
    assert response.status_code == 302 and response["Location"].startswith("/manage/")
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CONFIRMED and booking.confirm_deadline is None
    assert GuestBooking.objects.get(booking=booking).email_confirmed_at == NOW
    view = client.get(response["Location"])
    assert "Confirmed" in view.content.decode()

    deliver_outbox()
    confirmed = [m for m in emails_to("gil@example.com") if m.subject.startswith("Booking conf")]
    assert len(confirmed) == 1 and "/manage/" in confirmed[0].body
    assert "/guest/confirm/" not in confirmed[0].body
    assert "confirmed already" in client.get(confirm).content.decode()


def test_an_unconfirmed_guest_booking_lapses_and_frees_its_time(
    client: Client, guest_chair: Any, frozen: Any
) -> None:
    _book(client, guest_chair)
    deliver_outbox()
    confirm = link(emails_to("gil@example.com")[0], "/guest/confirm/")
    frozen.shift(timedelta(minutes=31))
    assert booking_expire_overdue() == 1
    assert Booking.objects.get().status == BookingStatus.EXPIRED
    refused = client.post(confirm)
    assert refused.status_code == 410
    assert "This link has expired" in refused.content.decode()
    again = _book(client, guest_chair, email="other@example.com")  # the time is free again
    assert again.status_code == 201


def test_a_lapsed_booking_cannot_be_confirmed(client: Client, guest_chair: Any) -> None:
    _book(client, guest_chair)
    booking = Booking.objects.get()
    deliver_outbox()
    confirm = link(emails_to("gil@example.com")[0], "/guest/confirm/")
    booking_cancel(booking_id=booking.pk, actor=booking.customer)
    refused = client.post(confirm)
    assert refused.status_code == 409
    assert "no longer held" in refused.content.decode()
    assert not GuestBooking.objects.filter(email_confirmed_at__isnull=False).exists()


def test_the_same_address_is_the_same_guest(client: Client, guest_chair: Any) -> None:
    _book(client, guest_chair)
    _book(client, guest_chair, start="2027-03-02T10:00:00+00:00", phone="+351 900 000 000")
    assert GuestCustomer.objects.count() == 1
    assert NotificationPreference.objects.get().phone_number == "+351900000000"
    assert Booking.objects.filter(customer__email="gil@example.com").count() == 2


def test_an_address_with_an_account_must_sign_in(
    client: Client, guest_chair: Any, make_user: Any
) -> None:
    make_user(Role.CUSTOMER, username="gil", email="GIL@example.com")
    response = _book(client, guest_chair)
    assert response.status_code == 409
    assert "belongs to an account" in response.content.decode()
    assert not Booking.objects.exists()
    assert User.objects.filter(email__iexact="gil@example.com").count() == 1


def test_a_resource_without_guest_booking_refuses_guests(client: Client, chair: Any) -> None:
    response = _book(client, chair)
    assert response.status_code == 403
    assert "signed-in people only" in response.content.decode()
    assert client.get(f"/resources/{chair.pk}/guest/").status_code == 403
    assert not Booking.objects.exists() and not GuestCustomer.objects.exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"email": "not-an-address"}, "email"),
        ({"phone": "call me"}, "phone"),
        ({"phone": "912 345 678"}, "phone"),  # no country code
        ({"phone": "+1 23"}, "phone"),
        ({"name": ""}, "name"),
    ],
)
def test_bad_details_are_refused_on_their_field(
    client: Client, guest_chair: Any, changes: dict[str, str], field: str
) -> None:
    response = _book(client, guest_chair, **changes)
    assert response.status_code == 400
    assert response.context["form"].errors[field]
    assert not Booking.objects.exists() and not User.objects.filter(username__startswith="guest-")


def test_a_taken_time_is_refused_with_a_sentence(client: Client, guest_chair: Any) -> None:
    _book(client, guest_chair)
    response = _book(client, guest_chair, email="second@example.com")
    assert response.status_code == 409
    assert "That time has just been taken" in response.content.decode()
    assert Booking.objects.count() == 1
    assert BookingStatusChange.objects.count() == 1


def test_a_time_outside_the_hours_is_refused(client: Client, guest_chair: Any) -> None:
    response = _book(client, guest_chair, start="2027-03-02T20:00:00+00:00")
    assert response.status_code == 409
    assert not Booking.objects.exists()


def test_no_slot_shows_the_picker(client: Client, guest_chair: Any) -> None:
    page = client.get(f"/resources/{guest_chair.pk}/guest/")
    assert page.status_code == 200
    assert "picker" in page.context
    chosen = client.post(f"/resources/{guest_chair.pk}/guest/", {"start": START})
    assert chosen.status_code == 200 and "form" in chosen.context
    bad = client.post(f"/resources/{guest_chair.pk}/guest/", {"start": "yesterday"})
    assert "Choose one of the times offered" in bad.content.decode()


def test_an_anonymous_visitor_choosing_a_time_goes_to_the_guest_form(
    client: Client, guest_chair: Any, chair: Any
) -> None:
    response = client.post(f"/resources/{guest_chair.pk}/book/", {"start": START})
    assert response.status_code == 302
    assert response["Location"].startswith(f"/resources/{guest_chair.pk}/guest/?start=")
    form = client.get(response["Location"])
    assert form.status_code == 200 and "form" in form.context


def test_a_signed_in_visitor_books_as_themself(signed_in: Client, guest_chair: Any) -> None:
    response = signed_in.get(f"/resources/{guest_chair.pk}/guest/")
    assert response.status_code == 302 and response["Location"] == f"/resources/{guest_chair.pk}/"


def test_guest_booking_is_rate_limited(client: Client, guest_chair: Any, settings: Any) -> None:
    cache.clear()
    settings.WEB_RATE_LIMITS = {**settings.WEB_RATE_LIMITS, "guest_booking": "2/m"}
    for _ in range(3):  # choosing a slot is not counted, only sending the details
        assert (
            client.post(f"/resources/{guest_chair.pk}/guest/", {"start": START}).status_code == 200
        )
    assert _book(client, guest_chair).status_code == 201
    assert _book(client, guest_chair, email="b@example.com").status_code == 409
    third = _book(client, guest_chair, email="c@example.com")
    assert third.status_code == 429
    assert Booking.objects.count() == 1
    cache.clear()


def test_the_api_and_admin_carry_the_guest_rule(client_for: Any, make_user: Any) -> None:
    owner = make_user(Role.PROVIDER)
    api = client_for(owner)
    made = api.post(
        "/api/resources/",
        {"name": "Desk", "kind": "room", "timezone": "UTC", "rules": {"guest_booking": True}},
        format="json",
    )
    assert made.status_code == 201, made.json()
    assert made.json()["rules"]["guest_booking"] is True
    changed = api.patch(
        f"/api/resources/{made.json()['id']}/", {"rules": {"guest_booking": False}}, format="json"
    )
    assert changed.json()["rules"]["guest_booking"] is False


def test_where_the_owner_approves_confirming_the_email_leaves_it_to_them(
    client: Client, guest_chair: Any
) -> None:
    guest_chair.approval_required = True
    guest_chair.save(update_fields=["approval_required"])
    _book(client, guest_chair)
    deliver_outbox()
    confirm = link(emails_to("gil@example.com")[0], "/guest/confirm/")
    response = client.post(confirm)
    assert response.status_code == 302
    booking = Booking.objects.get()
    assert booking.status == BookingStatus.PENDING
    assert booking.confirm_deadline is not None and booking.confirm_deadline > NOW + timedelta(
        minutes=30
    )  # the owner's time to approve, no longer the email's
    assert "The owner will confirm the booking" in client.get(response["Location"]).content.decode()


def test_a_spanish_visitor_gets_the_spanish_email(client: Client, guest_chair: Any) -> None:
    client.cookies["django_language"] = "es"
    response = _book(client, guest_chair)
    assert response.status_code == 201
    assert "Revisa tu correo" in response.content.decode()
    deliver_outbox()
    [email] = emails_to("gil@example.com")
    assert email.subject.startswith("Solicitud de reserva recibida")
    assert "confirma tu dirección de correo" in email.body
