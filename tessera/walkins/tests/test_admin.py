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
