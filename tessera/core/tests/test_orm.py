"""The private-ORM helpers of `tessera.core.orm` behave as `prefetch_related`/`select_related`
would; these fail first when Django changes the internals they use."""

from typing import cast

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tessera.accounts.models import User
from tessera.accounts.tests.factories import UserFactory
from tessera.bookings.models import Booking
from tessera.core.orm import prefetch_fill, prefetch_forget, prefetched, related_fill
from tessera.events.models import TicketBooking

pytestmark = pytest.mark.django_db


def test_a_filled_relation_is_read_without_a_query():
    user = cast(User, UserFactory())
    group = Group.objects.create(name="a")
    assert prefetched(user, "groups") is None
    prefetch_fill(user, "groups", [group])
    with CaptureQueriesContext(connection) as queries:
        assert list(user.groups.all()) == [group]
        assert prefetched(user, "groups") == [group]
    assert len(queries) == 0


def test_filling_keeps_what_prefetch_related_loaded_and_forgetting_reads_again():
    user = cast(User, UserFactory())
    group = Group.objects.create(name="b")
    user.groups.add(group)
    loaded = User.objects.prefetch_related("groups", "user_permissions").get(pk=user.pk)
    prefetch_fill(loaded, "groups", [])
    with CaptureQueriesContext(connection) as queries:
        assert list(loaded.groups.all()) == []
        assert list(loaded.user_permissions.all()) == []
    assert len(queries) == 0
    prefetch_forget(loaded)
    assert prefetched(loaded, "groups") is None
    assert group in loaded.groups.all()  # read again (with the role group the factory gives)


def test_a_reverse_one_to_one_is_cached_without_a_query():
    booking = Booking(kind="admission", status="confirmed")
    ticket = TicketBooking(quantity=2, is_live=True)
    related_fill(booking, "ticket", ticket)
    assert Booking.ticket.is_cached(booking)
    with CaptureQueriesContext(connection) as queries:
        assert booking.ticket is ticket
    assert len(queries) == 0
