"""POST /api/bookings/ for time: success, on behalf, gigs, approval, refusals, bad input."""

from datetime import UTC, datetime, time, timedelta

import pytest

from tessera.accounts.roles import Role
from tessera.bookings.models import Booking, BookingStatusChange, TimeAllocation
from tessera.scheduling.tests.factories import make_resource

from .conftest import NOW, at

pytestmark = pytest.mark.django_db
URL = "/api/bookings/"


def assert_nothing_booked() -> None:
    assert not Booking.objects.exists()
    assert not TimeAllocation.objects.exists()
    assert not BookingStatusChange.objects.exists()


def problem(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["code"] == code, body
    return body


class TestSuccess:
    def test_books_the_default_duration_and_records_the_first_history_row(
        self, customer_api, customer, chair
    ):
        response = customer_api.post(URL, {"resource": chair.pk, "start_time": at(1, 9)})

        assert response.status_code == 201, response.content
        body = response.json()
        booking = Booking.objects.get()
        assert response["Location"] == f"/api/bookings/{booking.pk}/"
        assert body["id"] == booking.pk
        assert (body["kind"], body["status"]) == ("time", "confirmed")
        assert body["customer"] == body["user"] == customer.pk
        assert body["created_by"] is None
        assert body["resource"] == chair.pk
        assert (body["start_time"], body["end_time"]) == (
            "2027-03-01T09:00:00Z",
            "2027-03-01T09:30:00Z",
        )
        assert body["allocations"] == [
            {
                "resource": {
                    "id": chair.pk,
                    "name": chair.name,
                    "kind": "provider",
                    "timezone": "Europe/Lisbon",
                },
                "start_time": "2027-03-01T09:00:00Z",
                "end_time": "2027-03-01T09:30:00Z",
                "approved": True,
            }
        ]
        history = BookingStatusChange.objects.get()
        assert (history.from_status, history.to_status, history.actor) == (
            "",
            "confirmed",
            customer,
        )

    def test_end_time_or_duration_and_any_offset(self, customer_api, room):
        by_end = customer_api.post(
            URL,
            {"resource": room.pk, "start_time": "2027-03-01T10:00:00+01:00", "end_time": at(1, 11)},
        )
        by_duration = customer_api.post(
            URL, {"resource": room.pk, "start_time": at(1, 12), "duration": 90, "notes": "Team"}
        )
        assert by_end.status_code == by_duration.status_code == 201
        assert (by_end.json()["start_time"], by_end.json()["end_time"]) == (
            at(1, 9).replace("+00:00", "Z"),
            "2027-03-01T11:00:00Z",
        )
        assert by_duration.json()["end_time"] == "2027-03-01T13:30:00Z"
        assert by_duration.json()["notes"] == "Team"

    def test_the_platform_default_duration_applies_when_the_resource_has_none(
        self, customer_api, room, settings
    ):
        settings.TESSERA = {**settings.TESSERA, "DEFAULT_BOOKING_MINUTES": 45}
        response = customer_api.post(URL, {"resource": room.pk, "start_time": at(1, 9)})
        assert response.json()["end_time"] == "2027-03-01T09:45:00Z"

    def test_unknown_fields_and_read_only_ones_are_ignored(self, customer_api, room):
        response = customer_api.post(
            URL,
            {
                "resource": room.pk,
                "start_time": at(1, 9),
                "status": {"nested": True},
                "price": [1, 2],
                "whatever": None,
            },
        )
        assert response.status_code == 201
        assert (response.json()["status"], response.json()["price"]) == ("confirmed", None)

    def test_the_seed_shape_with_user_is_accepted_for_oneself(self, customer_api, customer, room):
        response = customer_api.post(
            URL,
            {
                "resource": room.pk,
                "user": customer.pk,
                "start_time": at(1, 10),
                "end_time": at(1, 12),
            },
        )
        assert response.status_code == 201
        assert response.json()["user"] == customer.pk


class TestOnBehalf:
    def test_the_owner_books_for_a_customer(self, provider_api, provider, customer, chair):
        response = provider_api.post(
            URL, {"resource": chair.pk, "start_time": at(1, 9), "customer": customer.pk}
        )
        assert response.status_code == 201
        body = response.json()
        assert (body["customer"], body["created_by"]) == (customer.pk, provider.pk)
        assert BookingStatusChange.objects.get().actor == provider

    def test_staff_book_for_anyone_with_the_user_field(self, staff_api, staff, customer, chair):
        response = staff_api.post(
            URL, {"resource": chair.pk, "start_time": at(1, 9), "user": customer.pk}
        )
        assert response.status_code == 201
        assert response.json()["created_by"] == staff.pk

    def test_a_customer_may_not_book_for_someone_else(self, customer_api, other_customer, chair):
        response = customer_api.post(
            URL, {"resource": chair.pk, "start_time": at(1, 9), "customer": other_customer.pk}
        )
        problem(response, 403, "cannot_book_for_others")
        assert_nothing_booked()

    def test_a_provider_may_not_book_others_on_a_resource_they_do_not_own(
        self, client_for, make_user, customer, chair
    ):
        stranger = client_for(make_user(Role.PROVIDER))
        response = stranger.post(
            URL, {"resource": chair.pk, "start_time": at(1, 9), "customer": customer.pk}
        )
        problem(response, 403, "cannot_book_for_others")
        assert_nothing_booked()

    def test_an_unknown_customer_is_a_field_error(self, provider_api, chair):
        response = provider_api.post(
            URL, {"resource": chair.pk, "start_time": at(1, 9), "customer": 987654}
        )
        body = problem(response, 400, "does_not_exist")
        assert body["errors"][0]["field"] == "customer"

    def test_customer_and_user_must_agree(self, provider_api, customer, other_customer, chair):
        response = provider_api.post(
            URL,
            {
                "resource": chair.pk,
                "start_time": at(1, 9),
                "customer": customer.pk,
                "user": other_customer.pk,
            },
        )
        problem(response, 400, "invalid")
        assert_nothing_booked()


class TestGigs:
    @pytest.fixture
    def musician(self, make_user):
        return make_resource(
            kind="musician",
            owner=make_user(Role.PROVIDER),
            hours=[(d, time(18), time(23)) for d in range(7)],
        )

    @pytest.fixture
    def venue(self, make_user):
        return make_resource(
            kind="venue",
            owner=make_user(Role.PROVIDER),
            hours=[(d, time(19), time(2)) for d in range(7)],
        )

    def test_a_gig_holds_every_participant(self, customer_api, musician, venue):
        response = customer_api.post(
            URL, {"resources": [musician.pk, venue.pk], "start_time": at(5, 20), "duration": 120}
        )
        assert response.status_code == 201, response.content
        body = response.json()
        assert (body["kind"], body["resource"]) == ("gig", None)
        assert {a["resource"]["id"] for a in body["allocations"]} == {musician.pk, venue.pk}
        assert TimeAllocation.objects.filter(is_live=True).count() == 2

    def test_a_gig_books_none_when_one_participant_is_taken(
        self, customer_api, client_for, make_user, musician, venue
    ):
        other = client_for(make_user(Role.CUSTOMER))
        assert (
            other.post(
                URL, {"resource": venue.pk, "start_time": at(5, 21), "duration": 60}
            ).status_code
            == 201
        )

        response = customer_api.post(
            URL, {"resources": [musician.pk, venue.pk], "start_time": at(5, 20), "duration": 120}
        )
        body = problem(response, 409, "slot_unavailable")
        assert body["resource"] == venue.pk
        assert Booking.objects.count() == 1
        assert not TimeAllocation.objects.filter(resource=musician).exists()

    def test_a_gig_outside_one_participants_hours(self, customer_api, musician, venue):
        response = customer_api.post(
            URL, {"resources": [musician.pk, venue.pk], "start_time": at(5, 18), "duration": 60}
        )
        assert problem(response, 409, "outside_availability")["resource"] == venue.pk
        assert_nothing_booked()

    @pytest.mark.parametrize(
        ("resources", "code"),
        [
            ([1, 1], "duplicate_resource"),
            (list(range(1, 12)), "max_length"),
            ([], "min_length"),
            (["x"], "invalid"),
            ("3", "not_a_list"),
        ],
    )
    def test_bad_resource_lists(self, customer_api, resources, code):
        response = customer_api.post(URL, {"resources": resources, "start_time": at(5, 20)})
        body = problem(response, 400, code if code == "duplicate_resource" else "invalid")
        if code != "duplicate_resource":
            assert body["errors"][0]["code"] == code
        assert_nothing_booked()


class TestApproval:
    def test_a_resource_that_needs_approval_makes_a_pending_booking(self, customer_api, chair):
        chair.approval_required = True
        chair.save()
        response = customer_api.post(URL, {"resource": chair.pk, "start_time": at(2, 9)})
        assert response.status_code == 201
        body = response.json()
        assert body["status"] == "pending"
        assert body["allocations"][0]["approved"] is False
        # The deadline: 48 hours from now, or the start if that is sooner.
        assert body["confirm_deadline"] == "2027-03-02T09:00:00Z"

    def test_the_owner_booking_it_needs_no_approval(self, provider_api, customer, chair):
        chair.approval_required = True
        chair.save()
        response = provider_api.post(
            URL, {"resource": chair.pk, "start_time": at(2, 9), "customer": customer.pk}
        )
        assert response.json()["status"] == "confirmed"


class TestRefusals:
    def test_a_taken_slot(self, customer_api, client_for, other_customer, chair):
        assert (
            client_for(other_customer)
            .post(URL, {"resource": chair.pk, "start_time": at(1, 9)})
            .status_code
            == 201
        )
        response = customer_api.post(URL, {"resource": chair.pk, "start_time": at(1, 9, 15)})
        body = problem(response, 409, "slot_unavailable")
        assert body["resource"] == chair.pk
        assert Booking.objects.count() == 1
        assert BookingStatusChange.objects.count() == 1

    def test_buffers_keep_time_free_around_a_booking(
        self, customer_api, client_for, other_customer, chair
    ):
        chair.buffer_after = 15
        chair.save()
        assert (
            client_for(other_customer)
            .post(URL, {"resource": chair.pk, "start_time": at(1, 9)})
            .status_code
            == 201
        )
        problem(
            customer_api.post(URL, {"resource": chair.pk, "start_time": at(1, 9, 30)}),
            409,
            "slot_unavailable",
        )
        assert (
            customer_api.post(URL, {"resource": chair.pk, "start_time": at(1, 9, 45)}).status_code
            == 201
        )

    @pytest.mark.parametrize(
        ("start", "code"),
        [
            (at(7, 10), "outside_availability"),  # Sunday
            (at(1, 12, 45), "outside_availability"),  # runs into lunch
            (at(1, 7), "too_late"),  # in the past
            (at(1, 8, 20), "too_late"),  # within the notice
            (datetime(2027, 5, 3, 9, tzinfo=UTC).isoformat(), "too_far_ahead"),
        ],
    )
    def test_rules(self, customer_api, chair, start, code):
        chair.min_notice = 60
        chair.max_advance = 30
        chair.save()
        problem(customer_api.post(URL, {"resource": chair.pk, "start_time": start}), 409, code)
        assert_nothing_booked()

    def test_owners_and_staff_are_not_bound_by_notice_and_advance(
        self, provider_api, customer, chair
    ):
        chair.min_notice = 600
        chair.max_advance = 1
        chair.save()
        soon = provider_api.post(
            URL, {"resource": chair.pk, "start_time": at(1, 9), "customer": customer.pk}
        )
        late = provider_api.post(
            URL, {"resource": chair.pk, "start_time": at(29, 9), "customer": customer.pk}
        )
        assert soon.status_code == late.status_code == 201
        problem(
            provider_api.post(URL, {"resource": chair.pk, "start_time": at(7, 9)}),
            409,
            "outside_availability",
        )

    def test_an_inactive_resource(self, customer_api, chair):
        chair.is_active = False
        chair.save()
        problem(
            customer_api.post(URL, {"resource": chair.pk, "start_time": at(1, 9)}),
            409,
            "resource_inactive",
        )
        assert_nothing_booked()

    def test_anonymous_is_401(self, api, chair):
        response = api.post(URL, {"resource": chair.pk, "start_time": at(1, 9)}, format="json")
        problem(response, 401, "not_authenticated")
        assert_nothing_booked()


class TestBadInput:
    @pytest.mark.parametrize(
        ("payload", "field", "code"),
        [
            ({}, "start_time", "required"),
            ({"start_time": "2027-03-01T09:00:00"}, "start_time", "naive_datetime"),
            ({"start_time": "yesterday"}, "start_time", "invalid"),
            ({"start_time": 12345}, "start_time", "invalid"),
            ({"start_time": "0001-01-01T00:00:00+14:00"}, "start_time", "overflow"),
            ({"start_time": "1800-01-01T00:00:00Z"}, "start_time", "out_of_range"),
            (
                {"start_time": at(1, 9), "end_time": "2027-03-01T10:00:00"},
                "end_time",
                "naive_datetime",
            ),
            ({"start_time": at(1, 9), "duration": 0}, "duration", "min_value"),
            ({"start_time": at(1, 9), "duration": -5}, "duration", "min_value"),
            ({"start_time": at(1, 9), "duration": 10**30}, "duration", "max_value"),
            ({"start_time": at(1, 9), "duration": 1.5}, "duration", "invalid"),
            ({"start_time": at(1, 9), "duration": True}, "duration", "invalid"),
            (
                {"start_time": at(1, 9), "duration": 30, "end_time": at(1, 10)},
                "duration",
                "conflicting_fields",
            ),
            ({"start_time": at(1, 9), "notes": "x" * 5001}, "notes", "max_length"),
            ({"start_time": at(1, 9), "notes": {"a": 1}}, "notes", "invalid"),
        ],
    )
    def test_field_errors(self, customer_api, chair, payload, field, code):
        response = customer_api.post(URL, {"resource": chair.pk, **payload})
        body = problem(response, 400, "invalid")
        assert {"field": field, "code": code} == {
            k: body["errors"][0][k] for k in ("field", "code")
        }
        assert_nothing_booked()

    @pytest.mark.parametrize(
        ("resource", "code"),
        [
            ("abc", "invalid"),
            (-1, "min_value"),
            (0, "min_value"),
            (2**70, "max_value"),
            (1.0, "invalid"),
            (None, "null"),
            ([1], "invalid"),
        ],
    )
    def test_malformed_resource_ids(self, customer_api, resource, code):
        response = customer_api.post(URL, {"resource": resource, "start_time": at(1, 9)})
        body = problem(response, 400, "invalid")
        assert body["errors"][0] == {
            "field": "resource",
            "code": code,
            "message": body["errors"][0]["message"],
        }

    def test_an_unknown_resource(self, customer_api):
        body = problem(
            customer_api.post(URL, {"resource": 2**62, "start_time": at(1, 9)}),
            400,
            "does_not_exist",
        )
        assert body["errors"][0]["field"] == "resource"

    def test_neither_or_both_of_resource_and_resources(self, customer_api, chair):
        problem(customer_api.post(URL, {"start_time": at(1, 9)}), 400, "invalid")
        problem(
            customer_api.post(
                URL, {"resource": chair.pk, "resources": [chair.pk], "start_time": at(1, 9)}
            ),
            400,
            "invalid",
        )

    def test_end_before_start_and_whole_minutes_and_length(self, customer_api, chair):
        problem(
            customer_api.post(
                URL, {"resource": chair.pk, "start_time": at(1, 10), "end_time": at(1, 9)}
            ),
            400,
            "end_before_start",
        )
        problem(
            customer_api.post(
                URL, {"resource": chair.pk, "start_time": at(1, 10), "end_time": at(1, 10)}
            ),
            400,
            "end_before_start",
        )
        seconds = (NOW + timedelta(hours=2, seconds=30)).isoformat()
        problem(
            customer_api.post(URL, {"resource": chair.pk, "start_time": seconds}),
            400,
            "not_whole_minute",
        )
        problem(
            customer_api.post(
                URL, {"resource": chair.pk, "start_time": at(1, 10), "end_time": at(3, 10, month=4)}
            ),
            400,
            "too_long",
        )
        assert_nothing_booked()

    def test_a_body_that_is_not_an_object_or_not_json(self, customer_api):
        problem(customer_api.post(URL, [1, 2], format="json"), 400, "invalid")
        response = customer_api.generic("POST", URL, "{not json", content_type="application/json")
        problem(response, 400, "malformed_body")
        response = customer_api.generic(
            "POST", URL, "a=b", content_type="application/x-www-form-urlencoded"
        )
        problem(response, 415, "unsupported_media_type")
        assert_nothing_booked()
