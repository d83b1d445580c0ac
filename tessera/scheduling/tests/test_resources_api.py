"""/api/resources/: create, read, list with filters, change, deactivate; rights and bad input."""

from datetime import time

import pytest

from tessera.accounts.roles import Role
from tessera.scheduling.models import Resource
from tessera.scheduling.tests.factories import make_resource

pytestmark = pytest.mark.django_db
URL = "/api/resources/"
GOOD = {
    "name": "Conference Room A",
    "kind": "room",
    "capacity": 4,
    "timezone": "Europe/Lisbon",
    "rules": {"default_duration": 60, "buffer_after": 10, "approval_required": True},
}


@pytest.fixture
def provider(make_user):
    return make_user(Role.PROVIDER)


@pytest.fixture
def provider_api(client_for, provider):
    return client_for(provider)


def problem(response, status, code):
    assert response.status_code == status, response.content
    assert response.json()["code"] == code
    return response.json()


class TestCreate:
    def test_a_provider_creates_their_own(self, provider_api, provider):
        response = provider_api.post(URL, GOOD, format="json")
        assert response.status_code == 201, response.content
        body = response.json()
        assert body["owner"] == {"id": provider.pk, "username": provider.username}
        assert (body["capacity"], body["max_slots"]) == (4, 4)
        assert body["rules"] == {
            "default_duration": 60,
            "slot_step": None,
            "buffer_before": 0,
            "buffer_after": 10,
            "min_notice": 0,
            "max_advance": None,
            "cancellation_deadline": 0,
            "approval_required": True,
            "guest_booking": False,
        }

    def test_max_slots_is_accepted_as_the_capacity(self, provider_api):
        body = {**GOOD, "capacity": None, "max_slots": 2}
        del body["capacity"]
        assert provider_api.post(URL, body, format="json").json()["capacity"] == 2
        clash = provider_api.post(URL, {**GOOD, "max_slots": 3}, format="json")
        problem(clash, 400, "invalid")

    def test_staff_create_for_a_provider_but_not_for_a_customer(
        self, staff_api, provider, customer
    ):
        made = staff_api.post(URL, {**GOOD, "owner": provider.pk}, format="json")
        assert made.json()["owner"]["id"] == provider.pk
        refused = staff_api.post(URL, {**GOOD, "owner": customer.pk}, format="json")
        problem(refused, 400, "owner_not_provider")

    def test_customers_and_anonymous_may_not_create(self, customer_api, api):
        problem(customer_api.post(URL, GOOD, format="json"), 403, "permission_denied")
        problem(api.post(URL, GOOD, format="json"), 401, "not_authenticated")
        assert not Resource.objects.exists()

    def test_a_provider_may_not_give_a_resource_to_someone_else(self, provider_api, make_user):
        other = make_user(Role.PROVIDER)
        problem(
            provider_api.post(URL, {**GOOD, "owner": other.pk}, format="json"),
            403,
            "permission_denied",
        )

    @pytest.mark.parametrize(
        ("change", "field", "code"),
        [
            ({"timezone": "Mars/Olympus"}, "timezone", "invalid_timezone"),
            ({"timezone": "../../etc/passwd"}, "timezone", "invalid_timezone"),
            ({"capacity": 0}, "capacity", "min_value"),
            ({"capacity": 10**12}, "capacity", "max_value"),
            ({"capacity": "many"}, "capacity", "invalid"),
            ({"kind": "spaceship"}, "kind", "invalid_choice"),
            ({"name": ""}, "name", "blank"),
            ({"rules": {"buffer_before": -1}}, "rules.buffer_before", "min_value"),
            ({"rules": {"default_duration": 0}}, "rules.default_duration", "min_value"),
            ({"rules": {"max_advance": 10**9}}, "rules.max_advance", "max_value"),
            ({"rules": {"slot_step": 2.5}}, "rules.slot_step", "invalid"),
            ({"rules": "fast"}, "rules", "invalid"),
            ({"owner": 2**70}, "owner", "does_not_exist"),
            ({"owner": "me"}, "owner", "invalid"),
        ],
    )
    def test_bad_input(self, provider_api, change, field, code):
        response = provider_api.post(URL, {**GOOD, **change}, format="json")
        body = problem(response, 400, code if code in ("invalid_timezone",) else "invalid")
        assert {"field": field, "code": code} == {
            k: body["errors"][0][k] for k in ("field", "code")
        }
        assert not Resource.objects.exists()


class TestReadAndList:
    def test_anyone_lists_active_resources_with_filters(self, api, provider):
        barber = make_resource(name="Bruno", kind="provider", owner=provider)
        projector = make_resource(name="Projector", kind="equipment", description="HD beamer")
        make_resource(name="Old room", is_active=False, owner=provider)

        def names(**params):
            response = api.get(URL, params)
            assert response.status_code == 200, response.content
            return [r["name"] for r in response.json()["results"]]

        assert names() == ["Bruno", "Projector"]
        assert names(kind="equipment") == ["Projector"]
        assert names(owner=provider.pk) == ["Bruno"]
        assert names(q="beam") == ["Projector"]
        assert names(q="BRU") == ["Bruno"]
        assert api.get(f"{URL}{barber.pk}/").json()["name"] == "Bruno"
        assert api.get(f"{URL}{projector.pk}/").json()["max_slots"] == 1

    def test_owners_and_staff_also_see_inactive_ones(self, provider_api, staff_api, api, provider):
        old = make_resource(name="Old room", is_active=False, owner=provider)
        assert provider_api.get(URL).json()["count"] == 1
        assert staff_api.get(URL, {"is_active": "false"}).json()["count"] == 1
        problem(api.get(f"{URL}{old.pk}/"), 404, "resource_not_found")

    @pytest.mark.parametrize("params", [{"owner": "x"}, {"owner": "1.5"}, {"kind": "boat"}])
    def test_bad_filters(self, api, params):
        assert api.get(URL, params).status_code == 400

    def test_an_unreadable_boolean_filter_is_ignored(self, api):
        make_resource()
        assert api.get(URL, {"is_active": "maybe"}).json()["count"] == 1

    @pytest.mark.parametrize("path", ["abc/", "-1/", "99999999999999999999999/", "424242/"])
    def test_malformed_or_unknown_ids(self, api, path):
        assert api.get(f"{URL}{path}").status_code == 404


class TestChange:
    def test_the_owner_changes_fields_and_rules(self, provider_api, provider):
        resource = make_resource(owner=provider)
        response = provider_api.patch(
            f"{URL}{resource.pk}/", {"name": "Renamed", "rules": {"min_notice": 120}}, format="json"
        )
        assert response.status_code == 200, response.content
        resource.refresh_from_db()
        assert (resource.name, resource.min_notice) == ("Renamed", 120)

    def test_someone_else_may_not(self, client_for, make_user, provider):
        resource = make_resource(owner=provider)
        intruder = client_for(make_user(Role.PROVIDER))
        problem(
            intruder.patch(f"{URL}{resource.pk}/", {"name": "Mine"}, format="json"),
            403,
            "permission_denied",
        )
        problem(intruder.delete(f"{URL}{resource.pk}/"), 403, "permission_denied")
        resource.refresh_from_db()
        assert (resource.name, resource.is_active) != ("Mine", False)

    def test_delete_deactivates(self, provider_api, provider):
        resource = make_resource(owner=provider)
        assert provider_api.delete(f"{URL}{resource.pk}/").status_code == 204
        resource.refresh_from_db()
        assert resource.is_active is False

    def test_only_staff_move_a_resource_to_another_owner(
        self, provider_api, staff_api, provider, make_user
    ):
        resource = make_resource(owner=provider)
        other = make_user(Role.PROVIDER)
        problem(
            provider_api.patch(f"{URL}{resource.pk}/", {"owner": other.pk}, format="json"),
            403,
            "permission_denied",
        )
        assert (
            staff_api.patch(f"{URL}{resource.pk}/", {"owner": other.pk}, format="json").json()[
                "owner"
            ]["id"]
            == other.pk
        )


class TestHours:
    def test_replace_the_week_and_read_it(self, provider_api, api, provider):
        resource = make_resource(owner=provider, hours=[])
        week = [
            {"weekday": 0, "start_time": "09:00", "end_time": "13:00"},
            {"weekday": 0, "start_time": "14:00", "end_time": "18:00"},
            {"weekday": 4, "start_time": "18:00", "end_time": "02:00"},
        ]
        response = provider_api.put(f"{URL}{resource.pk}/hours/", {"hours": week}, format="json")
        assert response.status_code == 200, response.content
        assert response.json()["hours"] == [
            {"weekday": 0, "start_time": "09:00:00", "end_time": "13:00:00"},
            {"weekday": 0, "start_time": "14:00:00", "end_time": "18:00:00"},
            {"weekday": 4, "start_time": "18:00:00", "end_time": "02:00:00"},
        ]
        assert api.get(f"{URL}{resource.pk}/hours/").json()["timezone"] == "Europe/Lisbon"

    @pytest.mark.parametrize(
        "hours",
        [
            [{"weekday": 7, "start_time": "09:00", "end_time": "10:00"}],
            [{"weekday": 0, "start_time": "25:00", "end_time": "10:00"}],
            [{"weekday": 0}],
            "all week",
            [{"weekday": 0, "start_time": "09:00", "end_time": "10:00"}] * 71,
        ],
    )
    def test_bad_weeks_change_nothing(self, provider_api, provider, hours):
        resource = make_resource(owner=provider)
        response = provider_api.put(f"{URL}{resource.pk}/hours/", {"hours": hours}, format="json")
        assert response.status_code == 400
        assert resource.weekly_hours.count() == 7

    def test_customers_may_not_change_hours(self, customer_api, provider):
        resource = make_resource(owner=provider)
        response = customer_api.put(f"{URL}{resource.pk}/hours/", {"hours": []}, format="json")
        problem(response, 403, "permission_denied")
        assert resource.weekly_hours.count() == 7


class TestClosuresAndOpenings:
    @pytest.mark.parametrize("kind", ["closures", "openings"])
    def test_add_list_and_remove(self, provider_api, api, provider, kind):
        resource = make_resource(owner=provider)
        whole_days = {"start_date": "2027-12-24", "end_date": "2027-12-26", "reason": "Holidays"}
        hour = {"start_date": "2027-03-02", "start_time": "14:00", "end_time": "15:30"}
        first = provider_api.post(f"{URL}{resource.pk}/{kind}/", whole_days, format="json")
        second = provider_api.post(f"{URL}{resource.pk}/{kind}/", hour, format="json")
        assert first.status_code == second.status_code == 201
        assert second.json()["end_date"] == "2027-03-02"  # defaults to the start date
        listed = api.get(f"{URL}{resource.pk}/{kind}/").json()
        assert [c["reason"] for c in listed] == ["", "Holidays"]
        removed = provider_api.delete(f"{URL}{resource.pk}/{kind}/{first.json()['id']}/")
        assert removed.status_code == 204
        assert len(api.get(f"{URL}{resource.pk}/{kind}/").json()) == 1
        gone = provider_api.delete(f"{URL}{resource.pk}/{kind}/{first.json()['id']}/")
        assert gone.status_code == 404

    @pytest.mark.parametrize(
        ("span", "code"),
        [
            ({"start_date": "2027-03-02", "end_date": "2027-03-01"}, "end_before_start"),
            (
                {"start_date": "2027-03-02", "start_time": "15:00", "end_time": "14:00"},
                "end_before_start",
            ),
            ({"start_date": "2027-01-01", "end_date": "2029-01-01"}, "span_too_long"),
            ({"start_date": "tomorrow"}, "invalid"),
            ({}, "invalid"),
        ],
    )
    def test_bad_spans(self, provider_api, provider, span, code):
        resource = make_resource(owner=provider)
        response = provider_api.post(f"{URL}{resource.pk}/closures/", span, format="json")
        problem(response, 400, code)
        assert not resource.closures.exists()

    def test_only_the_owner_adds_them(self, customer_api, provider):
        resource = make_resource(owner=provider)
        response = customer_api.post(
            f"{URL}{resource.pk}/closures/", {"start_date": "2027-03-02"}, format="json"
        )
        problem(response, 403, "permission_denied")


class TestCapacityChanges:
    def test_a_capacity_below_the_live_bookings_is_refused(
        self, provider_api, client_for, make_user, provider
    ):
        from datetime import UTC, datetime

        import time_machine

        with time_machine.travel(datetime(2027, 3, 1, 8, tzinfo=UTC), tick=False):
            room = make_resource(
                owner=provider, capacity=3, hours=[(d, time(8), time(20)) for d in range(7)]
            )
            for _ in range(2):
                booker = client_for(make_user(Role.CUSTOMER))
                response = booker.post(
                    "/api/bookings/",
                    {"resource": room.pk, "start_time": "2027-03-02T10:00:00Z"},
                    format="json",
                )
                assert response.status_code == 201
            owner = client_for(provider)
            refused = owner.patch(f"{URL}{room.pk}/", {"capacity": 1}, format="json")
            body = problem(refused, 409, "capacity_below_bookings")
            assert body["overlapping"] == 2
            room.refresh_from_db()
            assert room.capacity == 3
            assert (
                owner.patch(f"{URL}{room.pk}/", {"capacity": 2}, format="json").status_code == 200
            )
            assert room.allocations.filter(exclusive=True).count() == 0
