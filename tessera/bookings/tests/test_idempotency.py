"""Idempotency-Key on POST /api/bookings/ (the generic machinery of core + api)."""

from datetime import timedelta

import pytest
from django.core.management import call_command

from tessera.bookings.models import Booking, BookingStatusChange
from tessera.core.models import IdempotencyRecord

from .conftest import NOW, at

pytestmark = pytest.mark.django_db
URL = "/api/bookings/"


def post(client, body, key):
    return client.post(URL, body, format="json", HTTP_IDEMPOTENCY_KEY=key)


def test_a_retry_replays_the_first_result(customer_api, chair):
    body = {"resource": chair.pk, "start_time": at(2, 9)}
    first = post(customer_api, body, "order-1")
    again = post(customer_api, {"start_time": at(2, 9), "resource": chair.pk}, "order-1")

    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again["Location"] == first["Location"]
    assert again["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first
    assert Booking.objects.count() == 1
    assert BookingStatusChange.objects.count() == 1


def test_the_same_key_with_another_body_is_refused(customer_api, chair):
    post(customer_api, {"resource": chair.pk, "start_time": at(2, 9)}, "order-1")
    response = post(customer_api, {"resource": chair.pk, "start_time": at(2, 10)}, "order-1")
    assert (response.status_code, response.json()["code"]) == (409, "idempotency_key_reused")
    assert Booking.objects.count() == 1


def test_keys_belong_to_their_user(customer_api, client_for, other_customer, chair):
    post(customer_api, {"resource": chair.pk, "start_time": at(2, 9)}, "same")
    response = post(
        client_for(other_customer), {"resource": chair.pk, "start_time": at(2, 10)}, "same"
    )
    assert response.status_code == 201
    assert Booking.objects.count() == 2


def test_a_failed_request_stores_nothing_and_may_be_retried(
    customer_api, client_for, other_customer, chair
):
    taken = client_for(other_customer).post(URL, {"resource": chair.pk, "start_time": at(2, 9)})
    body = {"resource": chair.pk, "start_time": at(2, 9)}
    refused = post(customer_api, body, "try")
    assert refused.json()["code"] == "slot_unavailable"
    assert not IdempotencyRecord.objects.exists()
    client_for(other_customer).delete(f"{URL}{taken.json()['id']}/")
    assert post(customer_api, body, "try").status_code == 201


@pytest.mark.parametrize("key", ["", "x" * 256, "tab\there", "é"])
def test_malformed_keys(customer_api, chair, key):
    response = post(customer_api, {"resource": chair.pk, "start_time": at(2, 9)}, key)
    assert (response.status_code, response.json()["code"]) == (400, "invalid_idempotency_key")
    assert not Booking.objects.exists()


def test_an_expired_key_runs_again_and_is_purged(client_for, customer, chair, frozen):
    body = {"resource": chair.pk, "start_time": at(3, 9)}
    assert post(client_for(customer), body, "old").status_code == 201
    frozen.move_to(NOW + timedelta(hours=25))
    again = post(client_for(customer), body, "old")
    assert again.json()["code"] == "slot_unavailable"  # it ran: the slot is now its own booking's
    IdempotencyRecord.objects.update(created_at=NOW)
    call_command("purge_idempotency", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert not IdempotencyRecord.objects.exists()


class TestStatusActions:
    """cancel, confirm, decline and no-show honour `Idempotency-Key` too."""

    def book(self, api, chair, day: int) -> int:
        response = api.post(URL, {"resource": chair.pk, "start_time": at(day, 10)}, format="json")
        assert response.status_code == 201
        return int(response.json()["id"])

    def test_a_retried_cancel_returns_the_first_answer(self, customer_api, chair):
        booking_id = self.book(customer_api, chair, 3)
        url = f"{URL}{booking_id}/cancel/"
        first = customer_api.post(url, {"reason": "ill"}, format="json", HTTP_IDEMPOTENCY_KEY="c-1")
        again = customer_api.post(url, {"reason": "ill"}, format="json", HTTP_IDEMPOTENCY_KEY="c-1")
        assert first.status_code == again.status_code == 200
        assert again.json() == first.json()
        assert again.headers["Idempotent-Replayed"] == "true"
        assert Booking.objects.get(pk=booking_id).history.filter(to_status="cancelled").count() == 1

    def test_without_a_key_a_second_cancel_is_refused(self, customer_api, chair):
        booking_id = self.book(customer_api, chair, 4)
        assert customer_api.post(f"{URL}{booking_id}/cancel/").status_code == 200
        second = customer_api.post(f"{URL}{booking_id}/cancel/")
        assert (second.status_code, second.json()["code"]) == (409, "illegal_transition")

    def test_a_key_used_for_another_booking_is_refused(self, customer_api, chair):
        one, other = self.book(customer_api, chair, 5), self.book(customer_api, chair, 6)
        assert customer_api.post(f"{URL}{one}/cancel/", HTTP_IDEMPOTENCY_KEY="k").status_code == 200
        reused = customer_api.post(f"{URL}{other}/cancel/", HTTP_IDEMPOTENCY_KEY="k")
        assert (reused.status_code, reused.json()["code"]) == (409, "idempotency_key_reused")
        assert Booking.objects.get(pk=other).status == "confirmed"

    def test_a_refused_action_stores_nothing_and_may_be_retried(self, customer_api, chair):
        booking_id = self.book(customer_api, chair, 2)
        refused = customer_api.post(f"{URL}{booking_id}/decline/", HTTP_IDEMPOTENCY_KEY="d-1")
        assert refused.status_code == 403
        assert not IdempotencyRecord.objects.filter(key="d-1").exists()
