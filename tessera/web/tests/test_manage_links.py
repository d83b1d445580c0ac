"""Signed manage links from booking emails: view, cancel, move without signing in; expiry,
single use, tampering, and the emails that carry them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client

from tessera.accounts.roles import Role
from tessera.bookings.models import Booking, BookingStatus
from tessera.bookings.services.create import booking_create_time
from tessera.web.models import SignedLinkUse
from tessera.web.services.links import CANCEL, RESCHEDULE, VIEW, link_path

from .mailbox import deliver_outbox, emails_to, link

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]


def _book(customer: Any, resource: Any, hour: int = 10) -> Booking:
    start = datetime(2027, 3, 2, hour, 0, tzinfo=UTC)
    return booking_create_time(actor=customer, resource_ids=[resource.pk], start=start)


def test_the_confirmation_email_carries_the_links_and_they_work_signed_out(
    client: Client, customer: Any, chair: Any
) -> None:
    booking = _book(customer, chair)
    deliver_outbox()
    [email] = emails_to(customer.email)
    assert email.subject.startswith("Booking confirmed")
    view = client.get(link(email, "/manage/"))
    assert view.status_code == 200
    body = view.content.decode()
    assert booking.reference in body and "Europe/Lisbon" in body
    cancel = link(email, "/cancel/")
    page = client.get(cancel)
    assert page.status_code == 200
    assert "The cancellation rule" in page.content.decode()
    done = client.post(cancel, {"reason": "ill"})
    assert done.status_code == 302
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED
    again = client.post(cancel, {"reason": "twice"})
    assert again.status_code == 409
    assert "each cancel or move link works once" in again.content.decode()
    assert client.get(cancel).status_code == 409


def test_the_owner_gets_no_links(customer: Any, chair: Any) -> None:
    chair.owner.email = "bruno@example.com"
    chair.owner.save(update_fields=["email"])
    chair.approval_required = True
    chair.save(update_fields=["approval_required"])
    _book(customer, chair)
    deliver_outbox()
    for message in emails_to("bruno@example.com"):
        assert "/manage/" not in message.body
    [to_customer] = emails_to(customer.email)
    assert "/manage/" in to_customer.body


def test_spanish_emails_carry_the_links(customer: Any, chair: Any) -> None:
    from tessera.notifications.services.preferences import preference_update

    preference_update(user=customer, language="es")
    _book(customer, chair)
    deliver_outbox()
    [email] = emails_to(customer.email)
    assert "Gestiona tu reserva" in email.body and "/manage/" in email.body


def test_a_link_used_after_it_expired_is_refused(
    client: Client, customer: Any, chair: Any, frozen: Any
) -> None:
    booking = _book(customer, chair)
    view = link_path(booking=booking, action=VIEW)
    cancel = link_path(booking=booking, action=CANCEL)
    frozen.shift(timedelta(days=31))
    for path in (view, cancel):
        refused = client.get(path)
        assert refused.status_code == 410
        assert "This link has expired" in refused.content.decode()
    assert client.post(cancel).status_code == 410
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CONFIRMED


@pytest.mark.parametrize("mangle", ["swap", "action", "junk"])
def test_a_tampered_link_is_not_valid(
    client: Client, customer: Any, chair: Any, mangle: str
) -> None:
    booking = _book(customer, chair)
    view = link_path(booking=booking, action=VIEW)
    cancel = link_path(booking=booking, action=CANCEL)
    if mangle == "swap":
        token = view.split("/")[2]
        path = f"/manage/{token[:-2]}{token[-1]}{token[-2]}/cancel/"
    elif mangle == "action":  # a view token used to cancel
        path = f"/manage/{view.split('/')[2]}/cancel/"
    else:
        path = "/manage/not-a-token/"
    response = client.post(path) if "cancel" in path else client.get(path)
    assert response.status_code == 404
    assert "This link is not valid" in response.content.decode()
    assert client.get(cancel).status_code == 200  # the real one still works
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CONFIRMED


def test_a_link_of_someone_else_is_not_valid_after_the_booking_changed_hands(
    client: Client, customer: Any, chair: Any, make_user: Any
) -> None:
    booking = _book(customer, chair)
    view = link_path(booking=booking, action=VIEW)
    Booking.objects.filter(pk=booking.pk).update(customer=make_user(Role.CUSTOMER))
    assert client.get(view).status_code == 404


def test_cancelling_past_the_deadline_is_refused_and_spends_nothing(
    client: Client, customer: Any, chair: Any, frozen: Any
) -> None:
    booking = _book(customer, chair, hour=11)
    cancel = link_path(booking=booking, action=CANCEL)
    frozen.move_to(datetime(2027, 3, 2, 10, 0, tzinfo=UTC))  # 1 h before; the rule says 2 h
    page = client.get(cancel)
    assert "That time has passed" in page.content.decode()
    refused = client.post(cancel, {"reason": ""})
    assert refused.status_code == 409
    assert "too late to cancel" in refused.content.decode()
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CONFIRMED
    assert not SignedLinkUse.objects.exists()


def test_moving_through_a_link_once(client: Client, customer: Any, chair: Any) -> None:
    booking = _book(customer, chair)
    move = link_path(booking=booking, action=RESCHEDULE)
    page = client.get(move)
    assert page.status_code == 200 and "picker" in page.context
    moved = client.post(move, {"start": "2027-03-02T12:00:00+00:00"})
    assert moved.status_code == 302 and moved["Location"].startswith("/manage/")
    booking.refresh_from_db()
    assert booking.starts_at == datetime(2027, 3, 2, 12, 0, tzinfo=UTC)
    again = client.post(move, {"start": "2027-03-02T11:00:00+00:00"})
    assert again.status_code == 409
    booking.refresh_from_db()
    assert booking.starts_at == datetime(2027, 3, 2, 12, 0, tzinfo=UTC)


def test_a_refused_move_leaves_the_link_usable(client: Client, customer: Any, chair: Any) -> None:
    booking = _book(customer, chair)
    move = link_path(booking=booking, action=RESCHEDULE)
    refused = client.post(move, {"start": "2027-03-02T20:00:00+00:00"})  # after closing
    assert refused.status_code == 409
    assert "outside the opening hours" in refused.content.decode()
    assert "picker" in refused.context
    assert not SignedLinkUse.objects.exists()
    assert client.get(move).status_code == 200
    assert client.post(move, {"start": "junk"}).status_code == 400


def test_signed_links_are_rate_limited(
    client: Client, customer: Any, chair: Any, settings: Any
) -> None:
    cache.clear()
    settings.WEB_RATE_LIMITS = {**settings.WEB_RATE_LIMITS, "signed_links": "2/m"}
    view = link_path(booking=_book(customer, chair), action=VIEW)
    assert client.get(view).status_code == 200
    assert client.get("/manage/guessing/").status_code == 404
    assert client.get(view).status_code == 429
    cache.clear()
