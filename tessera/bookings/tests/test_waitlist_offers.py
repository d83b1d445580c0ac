"""A promotion to `pending` is an offer the customer accepts (confirm), declines (cancel) or lets
lapse; and a promotion never skips the owner's approval of a resource that needs it."""

from datetime import timedelta

import pytest

from tessera.bookings.models import Booking, BookingStatusChange, TimeAllocation, WaitlistEntry
from tessera.bookings.services.timed import bookings_advance_due
from tessera.notifications.models import OutboxMessage

from .conftest import NOW, at

pytestmark = pytest.mark.django_db
URL = "/api/bookings/"
OFFER_HOURS = 12
APPROVAL_HOURS = 48


def post(api, resource, start: str, **extra) -> dict:
    response = api.post(URL, {"resource": resource.pk, "start_time": start, **extra}, format="json")
    assert response.status_code == 201, response.json()
    return response.json()


def status(booking: dict) -> str:
    return Booking.objects.get(pk=booking["id"]).status


def iso(moment) -> str:
    """As the API writes times (UTC as `Z`)."""
    return moment.isoformat().replace("+00:00", "Z")


def deadline(booking: dict):
    return Booking.objects.get(pk=booking["id"]).confirm_deadline


@pytest.fixture
def offers(settings):
    settings.TESSERA = {**settings.TESSERA, "WAITLIST_PROMOTE_TO": "pending"}


class Waiters:
    """Clients of two waiting customers, made when asked: a JWT made before a time travel
    would have expired after it."""

    def __init__(self, client_for, users):
        self.client_for, self.users = client_for, users

    def __getitem__(self, i: int):
        return self.client_for(self.users[i])


@pytest.fixture
def waiters(client_for, make_user):
    return Waiters(client_for, [make_user() for _ in range(2)])


@pytest.fixture
def line(customer_api, chair, waiters):
    """The 10:00 chair is taken by `customer`; two wait for it."""
    full = post(customer_api, chair, at(2, 10))
    return full, [post(waiters[i], chair, at(2, 10), waitlist=True) for i in range(2)]


def free(customer_api, full: dict) -> dict:
    response = customer_api.post(f"{URL}{full['id']}/cancel/")
    assert response.status_code == 200
    return response.json()


class TestOffer:
    def test_the_customer_accepts_before_the_deadline(
        self, offers, frozen, customer_api, line, waiters
    ):
        full, (first, second) = line
        free(customer_api, full)
        shown = waiters[0].get(f"{URL}{first['id']}/").json()
        assert (shown["status"], shown["offer"]["accepted_at"]) == ("pending", None)
        assert shown["confirm_deadline"] == iso(NOW + timedelta(hours=OFFER_HOURS))
        promoted = OutboxMessage.objects.get(event_type="booking.promoted")
        assert promoted.payload["offer"] is True

        frozen.move_to(NOW + timedelta(hours=OFFER_HOURS - 1))
        response = waiters[0].post(f"{URL}{first['id']}/confirm/")
        body = response.json()
        assert (response.status_code, body["status"], body["confirm_deadline"]) == (
            200,
            "confirmed",
            None,
        )
        assert body["offer"] is None  # settled
        entry = WaitlistEntry.objects.get(pk=first["id"])
        assert entry.accepted_at == NOW + timedelta(hours=OFFER_HOURS - 1)
        change = BookingStatusChange.objects.filter(booking_id=first["id"]).latest("id")
        assert (change.from_status, change.to_status, change.actor_id) == (
            "pending",
            "confirmed",
            first["customer"],
        )
        assert OutboxMessage.objects.filter(
            event_type="booking.confirmed", aggregate_id=first["reference"]
        ).exists()
        assert status(second) == "waitlisted"

    def test_too_late_to_accept_then_it_lapses_and_the_next_is_offered(
        self, offers, frozen, customer_api, line, waiters
    ):
        full, (first, second) = line
        free(customer_api, full)
        frozen.move_to(NOW + timedelta(hours=OFFER_HOURS))
        response = waiters[0].post(f"{URL}{first['id']}/confirm/")
        assert (response.status_code, response.json()["code"]) == (409, "offer_expired")
        assert (
            response.json()["confirm_deadline"] == (NOW + timedelta(hours=OFFER_HOURS)).isoformat()
        )
        assert status(first) == "pending"
        assert WaitlistEntry.objects.get(pk=first["id"]).accepted_at is None

        moved = bookings_advance_due(now=NOW + timedelta(hours=OFFER_HOURS))
        assert moved["expire"] == 1
        assert (status(first), status(second)) == ("expired", "pending")
        assert deadline(second) == NOW + timedelta(hours=2 * OFFER_HOURS)
        assert WaitlistEntry.objects.get(pk=second["id"]).offered_at == NOW + timedelta(
            hours=OFFER_HOURS
        )
        # Running the job again changes nothing.
        assert bookings_advance_due(now=NOW + timedelta(hours=OFFER_HOURS))["expire"] == 0

    def test_declining_an_offer_is_always_allowed_and_offers_it_to_the_next(
        self, offers, customer_api, provider_api, chair, line, waiters
    ):
        chair.cancellation_deadline = 48 * 60  # customers may not cancel within 48 h
        chair.save()
        full, (first, second) = line
        response = customer_api.post(f"{URL}{full['id']}/cancel/")
        assert response.json()["code"] == "cancellation_deadline_passed"
        provider_api.post(f"{URL}{full['id']}/cancel/")  # the owner is not bound
        assert status(first) == "pending"

        response = waiters[0].post(f"{URL}{first['id']}/cancel/")
        body = response.json()
        assert (response.status_code, body["status"]) == (200, "cancelled")
        assert body["message"] == "Booking cancelled; next in line notified."
        assert status(second) == "pending"

    def test_an_accepted_offer_is_bound_by_the_cancellation_deadline(
        self, offers, customer_api, chair, line, waiters
    ):
        full, (first, _) = line
        free(customer_api, full)
        waiters[0].post(f"{URL}{first['id']}/confirm/")
        chair.cancellation_deadline = 48 * 60
        chair.save()
        response = waiters[0].post(f"{URL}{first['id']}/cancel/")
        assert (response.status_code, response.json()["code"]) == (
            409,
            "cancellation_deadline_passed",
        )

    def test_only_the_customer_or_staff_accept(
        self, offers, customer_api, provider_api, staff_api, line, waiters
    ):
        full, (first, second) = line
        free(customer_api, full)
        # Another waiter cannot even see it.
        response = waiters[1].post(f"{URL}{first['id']}/confirm/")
        assert (response.status_code, response.json()["code"]) == (404, "booking_not_found")
        # The owner has nothing to approve: the offer is the customer's to take.
        response = provider_api.post(f"{URL}{first['id']}/confirm/")
        assert (response.status_code, response.json()["code"]) == (409, "offer_not_accepted")
        assert status(first) == "pending"
        # Staff may accept for the customer (a phone call at the desk).
        response = staff_api.post(f"{URL}{first['id']}/confirm/")
        assert (response.status_code, response.json()["status"]) == (200, "confirmed")
        assert status(second) == "waitlisted"

    def test_a_customer_still_cannot_confirm_a_request_that_is_no_offer(self, customer_api, chair):
        chair.approval_required = True
        chair.save()
        pending = post(customer_api, chair, at(2, 10))
        response = customer_api.post(f"{URL}{pending['id']}/confirm/")
        assert (response.status_code, response.json()["code"]) == (403, "permission_denied")
        assert status(pending) == "pending"

    def test_once_confirmed_it_is_no_longer_an_offer(self, offers, customer_api, line, waiters):
        full, (first, _) = line
        free(customer_api, full)
        assert waiters[0].post(f"{URL}{first['id']}/confirm/").json()["status"] == "confirmed"
        response = waiters[0].post(f"{URL}{first['id']}/confirm/")
        assert (response.status_code, response.json()["code"]) == (403, "permission_denied")
        rows = BookingStatusChange.objects.filter(booking_id=first["id"], to_status="confirmed")
        assert rows.count() == 1

    def test_put_status_confirmed_accepts_too(self, offers, customer_api, line, waiters):
        full, (first, _) = line
        free(customer_api, full)
        response = waiters[0].put(f"{URL}{first['id']}/", {"status": "confirmed"}, format="json")
        assert (response.status_code, response.json()["status"]) == (200, "confirmed")


class TestApproval:
    @pytest.fixture
    def approving(self, chair):
        chair.approval_required = True
        chair.save()
        return chair

    @pytest.fixture
    def waiting(self, approving, customer_api, provider_api, waiters):
        """The 10:00 chair (approval required) is taken by an approved booking; one waits."""
        full = post(customer_api, approving, at(5, 10))  # far enough for a 48 h deadline
        provider_api.post(f"{URL}{full['id']}/confirm/")
        assert status(full) == "confirmed"
        return full, post(waiters[0], approving, at(5, 10), waitlist=True)

    def test_promoted_pending_until_the_owner_approves(
        self, customer_api, provider_api, waiting, waiters
    ):
        full, first = waiting
        free(customer_api, full)
        assert status(first) == "pending"
        assert deadline(first) == NOW + timedelta(hours=APPROVAL_HOURS)
        payload = OutboxMessage.objects.get(event_type="booking.promoted").payload
        assert payload["offer"] is False
        shown = waiters[0].get(f"{URL}{first['id']}/").json()
        assert shown["offer"] is None  # nothing for the customer to do
        response = waiters[0].post(f"{URL}{first['id']}/confirm/")
        assert (response.status_code, response.json()["code"]) == (403, "permission_denied")
        response = provider_api.post(f"{URL}{first['id']}/confirm/")
        assert (response.status_code, response.json()["status"]) == (200, "confirmed")

    def test_offer_and_approval_customer_first(
        self, offers, frozen, client_for, provider, customer_api, waiting, waiters
    ):
        full, first = waiting
        free(customer_api, full)
        assert deadline(first) == NOW + timedelta(hours=OFFER_HOURS)
        frozen.move_to(NOW + timedelta(hours=1))
        body = waiters[0].post(f"{URL}{first['id']}/confirm/").json()
        assert body["status"] == "pending"
        assert body["offer"]["accepted_at"] == iso(NOW + timedelta(hours=1))
        # Accepted: now a request like any other, with the owner's time to approve.
        assert deadline(first) == NOW + timedelta(hours=1 + APPROVAL_HOURS)
        again = waiters[0].post(f"{URL}{first['id']}/confirm/")
        assert (again.status_code, again.json()["status"]) == (200, "pending")
        body = client_for(provider).post(f"{URL}{first['id']}/confirm/").json()
        assert (body["status"], body["confirm_deadline"]) == ("confirmed", None)

    def test_offer_and_approval_owner_first(
        self, offers, customer_api, provider_api, waiting, waiters
    ):
        full, first = waiting
        free(customer_api, full)
        body = provider_api.post(f"{URL}{first['id']}/confirm/").json()
        assert body["status"] == "pending"
        assert body["allocations"][0]["approved"] is True
        again = provider_api.post(f"{URL}{first['id']}/confirm/")
        assert (again.status_code, again.json()["code"]) == (409, "offer_not_accepted")
        body = waiters[0].post(f"{URL}{first['id']}/confirm/").json()
        assert body["status"] == "confirmed"

    def test_an_offer_approved_but_not_accepted_lapses(
        self, offers, customer_api, provider_api, waiting
    ):
        full, first = waiting
        free(customer_api, full)
        provider_api.post(f"{URL}{first['id']}/confirm/")
        bookings_advance_due(now=NOW + timedelta(hours=OFFER_HOURS))
        assert status(first) == "expired"
        assert not TimeAllocation.objects.get(booking_id=first["id"]).is_live


def test_a_show_offer_is_accepted_by_its_customer(settings, make_user, client_for):
    from tessera.bookings.services.status import booking_cancel
    from tessera.events.services.tickets import ticket_booking_create_for_places
    from tessera.events.tests.factories import ShowFactory

    settings.TESSERA = {**settings.TESSERA, "WAITLIST_PROMOTE_TO": "pending"}
    show = ShowFactory.create(capacity=1, starts_at=NOW + timedelta(days=3))
    holder, waiter = make_user(), make_user()
    held = ticket_booking_create_for_places(show=show, quantity=1, customer=holder, actor=holder)
    waiting = ticket_booking_create_for_places(
        show=show, quantity=1, customer=waiter, actor=waiter, waitlist=True
    )
    booking_cancel(booking_id=held.pk, actor=holder)
    assert Booking.objects.get(pk=waiting.pk).status == "pending"
    organizer = client_for(show.event.owner)
    response = organizer.post(f"{URL}{waiting.pk}/confirm/")
    assert (response.status_code, response.json()["code"]) == (409, "offer_not_accepted")
    response = client_for(waiter).post(f"{URL}{waiting.pk}/confirm/")
    assert (response.status_code, response.json()["status"]) == (200, "confirmed")


@pytest.mark.parametrize(
    ("language", "offer", "expected"),
    [
        ("en", True, "accept it by 2027-03-01 20:00 UTC"),
        ("en", False, "awaits the provider's approval"),
        ("es", True, "acéptala antes del 2027-03-01 20:00 UTC"),
        ("es", False, "pendiente de aprobación"),
    ],
)
def test_the_promotion_text_says_what_the_customer_must_do(language, offer, expected):
    from tessera.notifications.rendering import render_short, template_context

    event = {
        "type": "booking.promoted",
        "reference": "K7M2P9QX4T",
        "starts_at": "2027-03-02T10:00:00+00:00",
        "ends_at": "2027-03-02T10:30:00+00:00",
        "confirm_deadline": "2027-03-01T20:00:00+00:00",
        "offer": offer,
    }
    text = render_short("booking.promoted", language, template_context(event, recipient_name="A"))
    assert expected in text


def test_a_page_of_offers_costs_the_same_whatever_its_length(
    settings, client_for, make_user, provider, chair
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    settings.TESSERA = {**settings.TESSERA, "WAITLIST_PROMOTE_TO": "pending"}
    owner = client_for(provider)

    def offer_on(day: int) -> None:
        holder, waiter = make_user(), make_user()
        full = post(client_for(holder), chair, at(day, 10))
        post(client_for(waiter), chair, at(day, 10), waitlist=True)
        client_for(holder).post(f"{URL}{full['id']}/cancel/")

    def count() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as queries:
            body = owner.get(URL, {"status": "pending"}).json()
        assert all(b["offer"] is not None for b in body["results"])
        return len(queries), len(body["results"])

    offer_on(2)
    few, one = count()
    for day in (3, 4, 5):
        offer_on(day)
    assert count() == (few, 4)
    assert one == 1
