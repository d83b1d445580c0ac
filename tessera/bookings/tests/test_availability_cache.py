"""Availability answers kept in the shared cache, and retired by every change of free time;
the bound on slots per answer; notice applied after the cache; the cache being down."""

from datetime import time, timedelta
from unittest import mock

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tessera.scheduling.tests.factories import make_resource

from .conftest import at

pytestmark = pytest.mark.django_db
BOOK = "/api/bookings/"
DAY = {"start": "2027-03-02", "end": "2027-03-03"}


def url(resource) -> str:
    return f"/api/resources/{resource.pk}/availability/"


def starts(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [s["start"][11:16] for s in response.json()["slots"]]


def slot_queries(api, resource, params=DAY) -> int:
    """How many times the slots were read from the database for this answer."""
    with CaptureQueriesContext(connection) as queries:
        assert api.get(url(resource), params).status_code == 200
    return sum("UNION ALL" in q["sql"] for q in queries.captured_queries)


class TestServedFromTheCache:
    def test_the_same_question_is_answered_once_from_the_database(self, api, chair):
        assert slot_queries(api, chair) == 1
        assert slot_queries(api, chair) == 0
        assert slot_queries(api, chair, {"start": "2027-03-02", "end": "2027-03-04"}) == 1

    def test_the_display_zone_does_not_split_the_cache(self, api, chair):
        assert slot_queries(api, chair, {**DAY, "tz": "UTC"}) == 1
        body = api.get(
            url(chair),
            {
                "start": "2027-03-02T00:00:00Z",
                "end": "2027-03-03T00:00:00Z",
                "tz": "America/New_York",
            },
        ).json()
        assert body["slots"][0]["start"] == "2027-03-02T04:00:00-05:00"

    @pytest.mark.parametrize("seconds", [0])
    def test_zero_seconds_turns_it_off(self, api, chair, settings, seconds):
        settings.TESSERA = {**settings.TESSERA, "AVAILABILITY_CACHE_SECONDS": seconds}
        assert slot_queries(api, chair) == 1
        assert slot_queries(api, chair) == 1

    def test_notice_is_applied_to_cached_slots_at_the_time_of_asking(
        self, api, chair, frozen, settings
    ):
        settings.TESSERA = {**settings.TESSERA, "AVAILABILITY_CACHE_SECONDS": 3 * 3600}
        today = {"start": "2027-03-01", "end": "2027-03-02"}
        assert starts(api.get(url(chair), today))[0] == "09:00"  # now is 08:00
        frozen.shift(timedelta(minutes=70))  # 09:10: the 09:00 slot has begun
        assert slot_queries(api, chair, today) == 0
        assert starts(api.get(url(chair), today))[0] == "09:30"

    def test_an_answer_expires_after_its_seconds(self, api, chair, frozen):
        assert slot_queries(api, chair) == 1
        frozen.shift(timedelta(seconds=61))
        assert slot_queries(api, chair) == 1


class TestEveryChangeRetiresIt:
    """Each test reads (and so caches), changes something, and reads the change."""

    def test_a_booking_made_takes_its_slot(self, api, customer_api, chair):
        assert "10:00" in starts(api.get(url(chair), DAY))
        assert (
            customer_api.post(BOOK, {"resource": chair.pk, "start_time": at(2, 10)}).status_code
            == 201
        )
        assert "10:00" not in starts(api.get(url(chair), DAY))

    def test_a_cancelled_booking_and_a_moved_one_free_theirs(self, api, customer_api, chair):
        booking = customer_api.post(BOOK, {"resource": chair.pk, "start_time": at(2, 10)}).json()
        assert "10:00" not in starts(api.get(url(chair), DAY))
        moved = customer_api.patch(f"{BOOK}{booking['id']}/", {"start_time": at(2, 11)})
        assert moved.status_code == 200, moved.content
        slots = starts(api.get(url(chair), DAY))
        assert "10:00" in slots
        assert "11:00" not in slots
        assert customer_api.delete(f"{BOOK}{booking['id']}/").status_code in (200, 204)
        assert "11:00" in starts(api.get(url(chair), DAY))

    def test_a_declined_request_frees_its_slot(self, api, customer_api, provider_api, chair):
        chair.approval_required = True
        chair.save()
        booking = customer_api.post(BOOK, {"resource": chair.pk, "start_time": at(2, 10)}).json()
        assert booking["status"] == "pending"
        assert "10:00" not in starts(api.get(url(chair), DAY))
        declined = provider_api.post(f"{BOOK}{booking['id']}/decline/", {}, format="json")
        assert declined.status_code == 200, declined.content
        assert "10:00" in starts(api.get(url(chair), DAY))

    def test_closures_and_openings_added_and_removed(self, api, provider_api, chair):
        base = f"/api/resources/{chair.pk}"
        assert starts(api.get(url(chair), DAY))
        closure = provider_api.post(
            f"{base}/closures/", {"start_date": "2027-03-02"}, format="json"
        )
        assert closure.status_code == 201, closure.content
        assert starts(api.get(url(chair), DAY)) == []
        provider_api.delete(f"{base}/closures/{closure.json()['id']}/")
        assert len(starts(api.get(url(chair), DAY))) == 16
        sunday = {"start": "2027-03-07", "end": "2027-03-08"}
        assert starts(api.get(url(chair), sunday)) == []
        opening = provider_api.post(
            f"{base}/openings/",
            {"start_date": "2027-03-07", "start_time": "10:00", "end_time": "11:00"},
            format="json",
        )
        assert starts(api.get(url(chair), sunday)) == ["10:00", "10:30"]
        provider_api.delete(f"{base}/openings/{opening.json()['id']}/")
        assert starts(api.get(url(chair), sunday)) == []

    def test_weekly_hours_replaced(self, api, provider_api, chair):
        assert len(starts(api.get(url(chair), DAY))) == 16
        replaced = provider_api.put(
            f"/api/resources/{chair.pk}/hours/",
            {"hours": [{"weekday": 1, "start_time": "15:00", "end_time": "16:00"}]},
            format="json",
        )
        assert replaced.status_code == 200, replaced.content
        assert starts(api.get(url(chair), DAY)) == ["15:00", "15:30"]

    def test_capacity_and_rules_changed(self, api, provider_api, room):
        window = {"start": at(2, 9), "end": at(2, 10)}
        assert api.get(url(room), window).json()["slots"][0]["places_left"] == 4
        changed = provider_api.patch(f"/api/resources/{room.pk}/", {"capacity": 6}, format="json")
        assert changed.status_code == 200, changed.content
        assert api.get(url(room), window).json()["slots"][0]["places_left"] == 6
        ruled = provider_api.patch(
            f"/api/resources/{room.pk}/", {"rules": {"min_notice": 48 * 60}}, format="json"
        )
        assert ruled.status_code == 200, ruled.content
        assert starts(api.get(url(room), window)) == []


class TestBounds:
    def test_too_many_slots_is_a_coded_400(self, api, provider, settings):
        always = make_resource(owner=provider, hours=[(d, time(0), time(0)) for d in range(7)])
        params = {"start": "2027-03-02", "end": "2027-05-02", "duration": 1, "step": 1}
        response = api.get(url(always), params)
        assert response.status_code == 400
        body = response.json()
        assert (body["code"], body["max_slots"]) == ("too_many_slots", 2000)
        assert body["errors"][0]["field"] == "end"

    def test_exactly_the_limit_is_served(self, api, chair, settings):
        settings.TESSERA = {**settings.TESSERA, "MAX_AVAILABILITY_SLOTS": 16}
        assert len(starts(api.get(url(chair), DAY))) == 16
        wider = api.get(url(chair), {"start": "2027-03-02", "end": "2027-03-04"})
        assert (wider.status_code, wider.json()["code"]) == (400, "too_many_slots")


class TestTheCacheDown:
    def test_reads_are_computed_when_the_cache_fails(self, api, chair, caplog):
        expected = starts(api.get(url(chair), DAY))
        with mock.patch.object(cache, "get_many", side_effect=ConnectionError("redis down")):
            assert starts(api.get(url(chair), DAY)) == expected
        assert "availability cache: unreadable" in caplog.text

    def test_a_booking_is_made_when_the_bump_fails(self, api, customer_api, chair, caplog):
        starts(api.get(url(chair), DAY))
        with (
            mock.patch.object(cache, "incr", side_effect=ConnectionError("redis down")),
            mock.patch.object(cache, "set", side_effect=ConnectionError("redis down")),
        ):
            made = customer_api.post(BOOK, {"resource": chair.pk, "start_time": at(2, 10)})
        assert made.status_code == 201, made.content
        assert "could not retire" in caplog.text


def _change_form_data(page) -> dict[str, object]:
    """The POST body of an admin change page as it was rendered (every form, every inline)."""
    data: dict[str, object] = {}

    def add(form) -> None:
        for name in form.fields:
            value = form[name].value()
            if value is not None:
                data[form.add_prefix(name)] = value

    add(page.context["adminform"].form)
    for inline in page.context["inline_admin_formsets"]:
        add(inline.formset.management_form)
        for form in inline.formset.forms:
            add(form)
    return data


def test_a_closure_added_in_the_admin_retires_the_cached_slots(api, staff, chair):
    from django.test import Client

    staff.is_superuser = True
    staff.save()
    admin = Client()
    admin.force_login(staff)
    assert len(starts(api.get(url(chair), DAY))) == 16
    page_url = f"/admin/scheduling/resource/{chair.pk}/change/"
    data = _change_form_data(admin.get(page_url))
    prefix = "closures"
    data.update(
        {
            f"{prefix}-TOTAL_FORMS": 1,
            f"{prefix}-0-start_date": "2027-03-02",
            f"{prefix}-0-end_date": "2027-03-02",
            f"{prefix}-0-resource": chair.pk,
        }
    )
    saved = admin.post(page_url, data)
    assert saved.status_code == 302, saved.context["errors"] if saved.context else saved
    assert chair.closures.count() == 1
    assert starts(api.get(url(chair), DAY)) == []
