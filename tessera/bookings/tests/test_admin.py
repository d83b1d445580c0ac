"""The admin: pages load, actions call the services (history rows, refusals reported)."""

from datetime import time

import pytest
from django.test import Client

from tessera.bookings.models import Booking, BookingStatusChange
from tessera.bookings.services.create import booking_create_time
from tessera.scheduling.models import Resource

from .conftest import NOW

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(staff) -> Client:
    staff.is_superuser = True
    staff.save()
    client = Client()
    client.force_login(staff)
    return client


@pytest.fixture
def bookings(customer, chair) -> list[Booking]:
    return [
        booking_create_time(
            actor=customer, resource_ids=[chair.pk], start=NOW.replace(day=2, hour=h)
        )
        for h in (9, 10)
    ]


def test_pages_load(admin_client, bookings, chair):
    for url in (
        "/admin/bookings/booking/",
        f"/admin/bookings/booking/{bookings[0].pk}/change/",
        "/admin/bookings/booking/?status__exact=confirmed&q=" + bookings[0].reference,
        "/admin/scheduling/resource/",
        f"/admin/scheduling/resource/{chair.pk}/change/",
    ):
        assert admin_client.get(url).status_code == 200, url


def test_cancel_action_uses_the_service(admin_client, staff, bookings):
    response = admin_client.post(
        "/admin/bookings/booking/",
        {"action": "cancel", "_selected_action": [b.pk for b in bookings]},
        follow=True,
    )
    assert response.status_code == 200
    assert set(Booking.objects.values_list("status", flat=True)) == {"cancelled"}
    assert BookingStatusChange.objects.filter(to_status="cancelled", actor=staff).count() == 2
    again = admin_client.post(
        "/admin/bookings/booking/",
        {"action": "cancel", "_selected_action": [bookings[0].pk]},
        follow=True,
    )
    assert "cannot become cancelled" in again.content.decode()


def test_no_add_and_no_delete(admin_client, bookings):
    assert admin_client.get("/admin/bookings/booking/add/").status_code == 403
    assert admin_client.get(f"/admin/bookings/booking/{bookings[0].pk}/delete/").status_code == 403


def _resource_form(resource: Resource, **changes) -> dict:
    data = {
        "name": resource.name,
        "kind": resource.kind,
        "description": "",
        "owner": resource.owner_id,
        "timezone": resource.timezone,
        "is_active": "on",
        "capacity": resource.capacity,
        "buffer_before": 0,
        "buffer_after": 0,
        "min_notice": 0,
        "cancellation_deadline": 0,
    }
    for prefix, rows in (
        ("weekly_hours", resource.weekly_hours.all()),
        ("closures", []),
        ("extra_openings", []),
    ):
        data.update({f"{prefix}-TOTAL_FORMS": len(rows), f"{prefix}-INITIAL_FORMS": len(rows)})
        for i, row in enumerate(rows):
            data.update(
                {
                    f"{prefix}-{i}-id": row.pk,
                    f"{prefix}-{i}-resource": resource.pk,
                    f"{prefix}-{i}-weekday": row.weekday,
                    f"{prefix}-{i}-start_time": row.start_time.strftime("%H:%M"),
                    f"{prefix}-{i}-end_time": row.end_time.strftime("%H:%M"),
                }
            )
    data.update(changes)
    return data


def test_resource_change_goes_through_the_service(admin_client, room, customer):
    booking_create_time(actor=customer, resource_ids=[room.pk], start=NOW.replace(day=2, hour=10))
    booking_create_time(actor=customer, resource_ids=[room.pk], start=NOW.replace(day=2, hour=10))
    url = f"/admin/scheduling/resource/{room.pk}/change/"
    refused = admin_client.post(url, _resource_form(room, capacity=1), follow=True)
    assert "2 live bookings overlap" in refused.content.decode()
    room.refresh_from_db()
    assert room.capacity == 4
    admin_client.post(url, _resource_form(room, capacity=2, name="Room B"), follow=True)
    room.refresh_from_db()
    assert (room.capacity, room.name) == (2, "Room B")


def test_hours_inline_adds_a_range(admin_client, provider):
    from tessera.scheduling.tests.factories import make_resource

    resource = make_resource(owner=provider, hours=[(0, time(9), time(12))])
    form = _resource_form(resource)
    form.update(
        {
            "weekly_hours-TOTAL_FORMS": 2,
            "weekly_hours-1-resource": resource.pk,
            "weekly_hours-1-weekday": 1,
            "weekly_hours-1-start_time": "10:00",
            "weekly_hours-1-end_time": "14:00",
        }
    )
    admin_client.post(f"/admin/scheduling/resource/{resource.pk}/change/", form, follow=True)
    assert resource.weekly_hours.count() == 2
