"""The walk-in admin: listed, and its actions go through the services."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from tessera.accounts.roles import Role
from tessera.scheduling.tests.factories import make_resource
from tessera.walkins.models import WalkIn

pytestmark = pytest.mark.django_db

URL = "/admin/walkins/walkin/"


def test_staff_list_serve_and_mark_left(make_user: Any) -> None:
    staff = make_user(Role.STAFF, is_superuser=True)
    chair = make_resource()
    first, second = (
        WalkIn.objects.create(
            resource=chair, position=n, name=f"P{n}", joined_at="2027-03-01T10:00Z"
        )
        for n in (1, 2)
    )
    admin = Client()
    admin.force_login(staff)
    assert "P1" in admin.get(URL).content.decode()

    admin.post(URL, {"action": "serve", "_selected_action": [first.pk]})
    admin.post(URL, {"action": "mark_left", "_selected_action": [first.pk, second.pk]})

    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == "served" and first.served_at is not None
    assert second.status == "left"  # first was no longer waiting: refused, reported
    assert admin.get(f"{URL}add/").status_code == 403


def test_staff_finish_a_served_walkin_through_the_service(make_user: Any) -> None:
    from datetime import UTC, datetime, timedelta

    staff = make_user(Role.STAFF, is_superuser=True)
    customer = make_user(Role.CUSTOMER)
    chair = make_resource()
    served_at = datetime.now(tz=UTC) - timedelta(minutes=30)
    served = WalkIn.objects.create(
        resource=chair,
        position=1,
        user=customer,
        status="served",
        joined_at=served_at - timedelta(minutes=10),
        served_at=served_at,
    )
    waiting = WalkIn.objects.create(resource=chair, position=2, name="P2", joined_at=served_at)
    admin = Client()
    admin.force_login(staff)
    admin.post(URL, {"action": "finish", "_selected_action": [served.pk, waiting.pk]})
    served.refresh_from_db()
    waiting.refresh_from_db()
    assert served.finished_at is not None and served.booking is not None
    assert served.booking.status == "completed"
    assert waiting.finished_at is None  # not served: refused, reported
