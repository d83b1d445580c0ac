"""Every API route answers the same with and without its trailing slash, for every method,
with DEBUG on and off: no redirect, no lost body, no 500 (the earlier systems' shapes)."""

import re
from datetime import UTC, datetime

import pytest
import time_machine
from django.test import override_settings
from drf_spectacular.generators import SchemaGenerator

from tessera.bookings.models import Booking
from tessera.scheduling.tests.factories import make_resource

pytestmark = pytest.mark.django_db


def _routes():
    paths = SchemaGenerator().get_schema(request=None, public=True)["paths"]
    for path, operations in sorted(paths.items()):
        concrete = re.sub(r"\{[^}]+\}", "999999", path)
        if path.endswith("/sign-out-everywhere/"):
            continue  # it would end the sweep's own token; tested on its own below
        for method in operations:
            if method in {"get", "post", "put", "patch", "delete"}:
                yield method, concrete


ROUTES = list(_routes())


def test_the_sweep_covers_every_kind_of_route():
    methods = {method for method, _ in ROUTES}
    assert methods == {"get", "post", "put", "patch", "delete"}
    assert len(ROUTES) > 50


@pytest.mark.parametrize("debug", [False, True])
def test_every_route_answers_the_same_without_its_slash(staff_api, debug):
    mismatches = []
    with override_settings(DEBUG=debug):
        for method, path in ROUTES:
            assert path.endswith("/"), path
            call = getattr(staff_api, method)
            slashed = call(path, {}, format="json")
            bare = call(path.rstrip("/"), {}, format="json")
            if bare.status_code != slashed.status_code or bare.status_code >= 500:
                mismatches.append((method, path, slashed.status_code, bare.status_code))
    assert mismatches == []


@pytest.mark.parametrize("debug", [False, True])
def test_seed_shapes_without_slash_keep_their_body(client_for, customer, debug, settings):
    settings.DEBUG = debug
    resource = make_resource(timezone="UTC")
    body = {
        "resource": resource.pk,
        "start_time": "2027-03-01T10:00:00Z",
        "end_time": "2027-03-01T11:00:00Z",
        "notes": "from the old client",
    }
    with time_machine.travel(datetime(2027, 2, 1, tzinfo=UTC), tick=False):
        customer_api = client_for(customer)
        created = customer_api.post("/api/bookings", body, format="json")
        assert created.status_code == 201, created.content
        booking = Booking.objects.get(pk=created.json()["id"])
        assert booking.customer == customer
        assert booking.notes == "from the old client"  # the body arrived whole

        cancelled = customer_api.delete(f"/api/bookings/{booking.pk}")
        assert cancelled.status_code in (200, 204), cancelled.content
        booking.refresh_from_db()
        assert booking.status == "cancelled"


def test_sign_out_everywhere_without_slash(customer_api, customer):
    assert customer_api.post("/api/users/me/sign-out-everywhere").status_code == 204
    customer.refresh_from_db()
    assert customer.auth_generation == 1
