"""Changing a booking: notes, reschedule, cancel (deadline), confirm/decline, no-show, history."""

from datetime import timedelta

import pytest

from tessera.accounts.roles import Role
from tessera.bookings.models import Booking, BookingStatusChange, TimeAllocation

from .conftest import NOW, at

pytestmark = pytest.mark.django_db
URL = "/api/bookings/"


@pytest.fixture
def booked(customer_api, chair) -> dict:
    response = customer_api.post(URL, {"resource": chair.pk, "start_time": at(2, 10)})
    assert response.status_code == 201
    return response.json()


def detail(booking: dict) -> str:
    return f"{URL}{booking['id']}/"


def history(booking: dict) -> list[tuple[str, str]]:
    rows = BookingStatusChange.objects.filter(booking_id=booking["id"]).order_by("id")
    return [(r.from_status, r.to_status) for r in rows]


class TestNotes:
    def test_the_customer_and_the_owner_change_notes(self, customer_api, provider_api, booked):
        assert (
            customer_api.patch(detail(booked), {"notes": "Beard too"}).json()["notes"]
            == "Beard too"
        )
        assert provider_api.put(detail(booked), {"notes": "Ok"}).json()["notes"] == "Ok"

    def test_someone_else_sees_nothing(self, client_for, other_customer, booked):
        response = client_for(other_customer).patch(detail(booked), {"notes": "x"})
        assert (response.status_code, response.json()["code"]) == (404, "booking_not_found")
        assert Booking.objects.get().notes == ""

    @pytest.mark.parametrize("body", [{}, {"reason": "just because"}])
    def test_an_empty_change_is_refused(self, customer_api, booked, body):
        response = customer_api.patch(detail(booked), body)
        assert (response.status_code, response.json()["code"]) == (400, "invalid")
        assert response.json()["errors"][0]["code"] == "empty"


class TestReschedule:
    def test_moves_keeping_the_length_and_records_it(self, customer_api, booked):
        response = customer_api.patch(detail(booked), {"start_time": at(2, 11)})
        assert response.status_code == 200, response.content
        body = response.json()
        assert (body["start_time"], body["end_time"]) == (
            "2027-03-02T11:00:00Z",
            "2027-03-02T11:30:00Z",
        )
        allocation = TimeAllocation.objects.get()
        assert allocation.starts_at.hour == 11
        assert allocation.is_live
        row = BookingStatusChange.objects.order_by("id").last()
        assert row is not None
        assert (row.from_status, row.to_status) == ("confirmed", "confirmed")
        assert row.reason.startswith("rescheduled from 2027-03-02T10:00:00+00:00")

    def test_a_move_that_overlaps_its_own_old_time(self, customer_api, booked):
        response = customer_api.put(detail(booked), {"start_time": at(2, 10, 15), "duration": 60})
        assert response.status_code == 200
        assert response.json()["end_time"] == "2027-03-02T11:15:00Z"

    def test_a_refused_move_leaves_the_booking_where_it_was(
        self, customer_api, client_for, other_customer, chair, booked
    ):
        taken = client_for(other_customer).post(
            URL, {"resource": chair.pk, "start_time": at(2, 11)}
        )
        assert taken.status_code == 201
        response = customer_api.patch(detail(booked), {"start_time": at(2, 11), "notes": "moved"})
        assert (response.status_code, response.json()["code"]) == (409, "slot_unavailable")
        booking = Booking.objects.get(pk=booked["id"])
        assert (booking.starts_at.hour, booking.notes) == (
            10,
            "",
        )  # the notes change rolled back too
        assert TimeAllocation.objects.get(booking=booking).starts_at.hour == 10
        assert history(booked) == [("", "confirmed")]

    @pytest.mark.parametrize(
        ("payload", "status", "code"),
        [
            ({"start_time": at(7, 10)}, 409, "outside_availability"),
            ({"start_time": at(1, 7)}, 409, "too_late"),
            ({"end_time": at(2, 12)}, 400, "invalid"),
            ({"start_time": "2027-03-02T11:00:00"}, 400, "invalid"),
            ({"start_time": at(2, 11), "end_time": at(2, 10)}, 400, "end_before_start"),
        ],
    )
    def test_refusals(self, customer_api, booked, payload, status, code):
        response = customer_api.patch(detail(booked), payload)
        assert (response.status_code, response.json()["code"]) == (status, code)
        assert Booking.objects.get().starts_at.hour == 10

    def test_a_cancelled_booking_cannot_move(self, customer_api, booked):
        customer_api.delete(detail(booked))
        response = customer_api.patch(detail(booked), {"start_time": at(2, 11)})
        assert (response.status_code, response.json()["code"]) == (409, "booking_not_live")

    def test_the_customer_may_not_move_an_approved_booking_the_owner_may(
        self, customer_api, provider_api, chair
    ):
        chair.approval_required = True
        chair.save()
        booking = customer_api.post(URL, {"resource": chair.pk, "start_time": at(2, 10)}).json()
        provider_api.post(f"{detail(booking)}confirm/")
        response = customer_api.patch(detail(booking), {"start_time": at(2, 11)})
        assert (response.status_code, response.json()["code"]) == (409, "approval_required")
        assert provider_api.patch(detail(booking), {"start_time": at(2, 11)}).status_code == 200


class TestCancel:
    def test_delete_cancels_and_keeps_the_record(self, customer_api, customer, chair, booked):
        response = customer_api.delete(detail(booked))
        assert response.status_code == 200
        body = response.json()
        assert body["status"] == "cancelled"
        assert body["cancelled_by"] == customer.pk
        assert body["cancelled_at"] == NOW.isoformat().replace("+00:00", "Z")
        assert not TimeAllocation.objects.get().is_live
        assert history(booked) == [("", "confirmed"), ("confirmed", "cancelled")]
        # The time is free at once.
        again = customer_api.post(URL, {"resource": chair.pk, "start_time": at(2, 10)})
        assert again.status_code == 201

    def test_post_cancel_with_a_reason(self, customer_api, booked):
        response = customer_api.post(f"{detail(booked)}cancel/", {"reason": "Ill"})
        assert (response.json()["status"], response.json()["cancel_reason"]) == ("cancelled", "Ill")

    def test_cancelling_twice_is_an_illegal_transition(self, customer_api, booked):
        customer_api.delete(detail(booked))
        response = customer_api.post(f"{detail(booked)}cancel/")
        assert (response.status_code, response.json()["code"]) == (409, "illegal_transition")
        assert len(history(booked)) == 2

    def test_the_deadline_binds_the_customer_not_the_owner(
        self, client_for, customer, provider, chair, booked, frozen
    ):
        chair.cancellation_deadline = 24 * 60
        chair.save()
        frozen.move_to(NOW + timedelta(hours=10))  # 16 hours before the start
        customer_api, provider_api = client_for(customer), client_for(provider)
        response = customer_api.post(f"{detail(booked)}cancel/")
        assert (response.status_code, response.json()["code"]) == (
            409,
            "cancellation_deadline_passed",
        )
        move = customer_api.patch(detail(booked), {"start_time": at(3, 10)})
        assert move.json()["code"] == "cancellation_deadline_passed"
        assert provider_api.post(f"{detail(booked)}cancel/").json()["status"] == "cancelled"

    def test_put_status_cancelled_as_the_earlier_systems_did(self, customer_api, booked):
        response = customer_api.put(detail(booked), {"status": "cancelled", "reason": "plans"})
        assert (response.json()["status"], response.json()["cancel_reason"]) == (
            "cancelled",
            "plans",
        )

    def test_a_stranger_cannot_cancel(self, client_for, make_user, booked):
        response = client_for(make_user(Role.PROVIDER)).delete(detail(booked))
        assert response.status_code == 404
        assert Booking.objects.get().status == "confirmed"


class TestApprovalFlow:
    @pytest.fixture
    def pending(self, customer_api, chair) -> dict:
        chair.approval_required = True
        chair.save()
        return customer_api.post(URL, {"resource": chair.pk, "start_time": at(2, 10)}).json()

    def test_the_owner_confirms(self, provider_api, pending):
        body = provider_api.post(f"{detail(pending)}confirm/").json()
        assert (body["status"], body["confirm_deadline"]) == ("confirmed", None)
        assert body["allocations"][0]["approved"] is True
        assert history(pending) == [("", "pending"), ("pending", "confirmed")]

    def test_the_owner_declines_and_the_time_is_free(
        self, provider_api, customer_api, chair, pending
    ):
        body = provider_api.post(f"{detail(pending)}decline/", {"reason": "Away"}).json()
        assert body["status"] == "declined"
        assert not TimeAllocation.objects.get().is_live

    def test_the_customer_may_not_confirm_or_decline(self, customer_api, pending):
        for path in ("confirm/", "decline/"):
            response = customer_api.post(f"{detail(pending)}{path}")
            assert (response.status_code, response.json()["code"]) == (403, "permission_denied")
        assert customer_api.patch(detail(pending), {"status": "confirmed"}).status_code == 403
        assert Booking.objects.get().status == "pending"

    def test_confirming_a_confirmed_booking_is_illegal(self, provider_api, pending):
        provider_api.post(f"{detail(pending)}confirm/")
        response = provider_api.post(f"{detail(pending)}confirm/")
        assert (response.status_code, response.json()["code"]) == (409, "illegal_transition")

    def test_a_gig_is_confirmed_when_every_owner_has_approved(
        self, client_for, customer_api, make_user
    ):
        from datetime import time

        from tessera.scheduling.tests.factories import make_resource

        owners = [make_user(Role.PROVIDER), make_user(Role.PROVIDER)]
        hours = [(d, time(18), time(23)) for d in range(7)]
        gig = [make_resource(owner=o, approval_required=True, hours=hours) for o in owners]
        booking = customer_api.post(
            URL, {"resources": [r.pk for r in gig], "start_time": at(5, 20)}
        ).json()
        first = client_for(owners[0]).post(f"{detail(booking)}confirm/").json()
        assert first["status"] == "pending"
        assert sorted(a["approved"] for a in first["allocations"]) == [False, True]
        second = client_for(owners[1]).post(f"{detail(booking)}confirm/").json()
        assert second["status"] == "confirmed"


class TestNoShow:
    def test_only_once_started_and_only_by_the_owner(
        self, client_for, customer, provider, provider_api, booked, frozen
    ):
        early = provider_api.post(f"{detail(booked)}no-show/")
        assert (early.status_code, early.json()["code"]) == (409, "not_started")
        frozen.move_to(NOW + timedelta(days=1, hours=2, minutes=5))  # tokens expire: new ones
        customer_api, provider_api = client_for(customer), client_for(provider)
        assert customer_api.post(f"{detail(booked)}no-show/").status_code == 403
        assert provider_api.post(f"{detail(booked)}no-show/").json()["status"] == "no_show"
        assert history(booked)[-1] == ("confirmed", "no_show")


class TestHistoryEndpoint:
    def test_lists_every_change(self, customer_api, booked):
        customer_api.patch(detail(booked), {"start_time": at(2, 11)})
        customer_api.delete(detail(booked))
        rows = customer_api.get(f"{detail(booked)}history/").json()
        assert [(r["from_status"], r["to_status"]) for r in rows] == [
            ("", "confirmed"),
            ("confirmed", "confirmed"),
            ("confirmed", "cancelled"),
        ]

    @pytest.mark.parametrize("path", ["abc/", "99999999999999999999/", "0/", "123456/"])
    def test_malformed_and_unknown_ids_are_404(self, customer_api, path):
        for suffix in ("", "history/", "cancel/"):
            method = customer_api.post if suffix == "cancel/" else customer_api.get
            response = method(f"{URL}{path}{suffix}")
            assert response.status_code == 404
            assert response["Content-Type"] == "application/problem+json"
