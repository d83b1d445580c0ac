"""`manage.py seed_demo` loads the scheduling and booking demo, and a second run changes nothing."""

import io

import pytest
from django.core.management import call_command

from tessera.bookings.models import Booking, TimeAllocation
from tessera.scheduling.models import Closure, Resource, WeeklyHours

pytestmark = pytest.mark.django_db


def counts() -> tuple[int, ...]:
    return tuple(
        m.objects.count() for m in (Resource, WeeklyHours, Closure, Booking, TimeAllocation)
    )


def test_seed_demo_is_idempotent(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    call_command("seed_demo", stdout=io.StringIO())
    first = counts()
    out = io.StringIO()
    call_command("seed_demo", stdout=out)

    assert counts() == first
    assert "(0 new)" in out.getvalue()
    owners = set(Resource.objects.values_list("owner__username", flat=True))
    assert owners == {"bruno"}
    kinds = set(Resource.objects.values_list("kind", flat=True))
    assert {"provider", "room", "court", "equipment", "musician", "venue"} <= kinds
    assert sorted(
        Resource.objects.filter(kind__in=["room", "equipment", "court"]).values_list(
            "capacity", flat=True
        )
    ) == [1, 1, 2, 2, 4]
    barber = Resource.objects.get(name__startswith="Bruno")
    assert barber.weekly_hours.filter(weekday=1).count() == 2  # morning and afternoon
    alice = Booking.objects.filter(customer__username="alice")
    assert sorted(alice.values_list("kind", "status")) == [
        ("gig", "pending"),
        ("time", "cancelled"),  # the pages' demo (tessera/web/demo.py): the past tab
        ("time", "confirmed"),
        ("time", "confirmed"),
        ("time", "waitlisted"),  # ... and a place in line
    ]
