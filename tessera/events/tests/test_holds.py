"""Holds: all-or-nothing, limits, expiry in the query, release, purge."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine

from tessera.accounts.roles import Role
from tessera.core.clock import utcnow
from tessera.events import errors
from tessera.events.models import Hold, SeatClaim
from tessera.events.selectors.holds import hold_state
from tessera.events.selectors.seatmap import seat_states
from tessera.events.services.holds import (
    hold_create_for_places,
    hold_create_for_seats,
    hold_purge_expired,
    hold_release,
)

pytestmark = pytest.mark.django_db


def test_a_seat_hold_claims_every_seat_until_it_expires(seated_show, seats, customer, settings):
    settings.TESSERA_EVENTS = {**settings.TESSERA_EVENTS, "HOLD_TTL_SECONDS": 300}
    now = utcnow()

    hold = hold_create_for_seats(
        show=seated_show, seat_ids=[seats[0].pk, seats[1].pk], actor=customer, now=now
    )

    assert len(hold.token) >= 32
    assert hold.expires_at == now + timedelta(seconds=300)
    assert hold.price == Decimal("20.00")
    assert hold.quantity == 2
    assert seat_states(show=seated_show, now=now) == {seats[0].pk: "held", seats[1].pk: "held"}
    assert seat_states(show=seated_show, now=hold.expires_at) == {}
    assert hold_state(hold, now) == "active"
    assert hold_state(hold, hold.expires_at) == "expired"


def test_a_hold_is_all_or_nothing_and_names_the_taken_seats(
    seated_show, seats, customer, make_user
):
    hold_create_for_seats(show=seated_show, seat_ids=[seats[2].pk], actor=customer)
    other = make_user()

    with pytest.raises(errors.SeatTaken) as caught:
        hold_create_for_seats(
            show=seated_show, seat_ids=[seats[1].pk, seats[2].pk, seats[3].pk], actor=other
        )

    assert caught.value.data["seat_ids"] == [seats[2].pk]
    assert Hold.objects.count() == 1
    assert SeatClaim.objects.count() == 1


def test_an_expired_hold_frees_its_seats_for_the_next_buyer_at_once(
    seated_show, seats, customer, make_user
):
    first = hold_create_for_seats(show=seated_show, seat_ids=[seats[0].pk], actor=customer)
    other = make_user()

    with time_machine.travel(first.expires_at, tick=False):
        second = hold_create_for_seats(show=seated_show, seat_ids=[seats[0].pk], actor=other)

    assert SeatClaim.objects.get().hold == second


def test_a_place_hold_stops_at_capacity(ga_show, customer, make_user):
    hold_create_for_places(show=ga_show, quantity=7, actor=customer)

    with pytest.raises(errors.CapacityExceeded) as caught:
        hold_create_for_places(show=ga_show, quantity=4, actor=make_user())

    assert caught.value.data == {"places_left": 3, "requested": 4}
    assert Hold.objects.count() == 1


def test_one_hold_keeps_at_most_the_configured_items(seated_show, seats, customer, settings):
    settings.TESSERA_EVENTS = {**settings.TESSERA_EVENTS, "HOLD_MAX_ITEMS": 2}

    with pytest.raises(errors.HoldLimit) as caught:
        hold_create_for_seats(show=seated_show, seat_ids=[s.pk for s in seats[:3]], actor=customer)

    assert caught.value.code == "hold_limit"
    assert caught.value.data == {"limit": 2, "requested": 3}
    assert not Hold.objects.exists()
    assert not SeatClaim.objects.exists()


def test_a_customer_cannot_squat_past_the_per_customer_limit(
    seated_show, ga_show, seats, customer, settings
):
    settings.TESSERA_EVENTS = {**settings.TESSERA_EVENTS, "HOLD_MAX_ITEMS_PER_CUSTOMER": 5}
    hold_create_for_seats(show=seated_show, seat_ids=[s.pk for s in seats[:3]], actor=customer)
    hold_create_for_places(show=ga_show, quantity=2, actor=customer)

    with pytest.raises(errors.HoldLimit) as caught:
        hold_create_for_seats(show=seated_show, seat_ids=[seats[5].pk], actor=customer)

    assert caught.value.data == {"limit": 5, "held": 5, "requested": 1}
    assert Hold.objects.count() == 2
    # expired holds no longer count
    with time_machine.travel(utcnow() + timedelta(minutes=11), tick=False):
        hold_create_for_seats(show=seated_show, seat_ids=[seats[5].pk], actor=customer)


def test_staff_have_no_per_customer_limit(ga_show, make_user, settings):
    settings.TESSERA_EVENTS = {**settings.TESSERA_EVENTS, "HOLD_MAX_ITEMS_PER_CUSTOMER": 1}
    staff = make_user(Role.STAFF)
    hold_create_for_places(show=ga_show, quantity=2, actor=staff)
    hold_create_for_places(show=ga_show, quantity=2, actor=staff)
    assert Hold.objects.count() == 2


def test_release_frees_the_seats_at_once_and_is_idempotent(seated_show, seats, customer, make_user):
    hold = hold_create_for_seats(show=seated_show, seat_ids=[seats[0].pk], actor=customer)

    hold_release(hold=hold, actor=customer)
    hold_release(hold=hold, actor=customer)

    hold.refresh_from_db()
    assert hold.state == "released"
    assert not SeatClaim.objects.exists()
    other = make_user()
    hold_create_for_seats(show=seated_show, seat_ids=[seats[0].pk], actor=other)


def test_only_the_holder_releases_a_hold(ga_show, customer, make_user):
    from tessera.core.errors import PermissionDenied

    hold = hold_create_for_places(show=ga_show, quantity=1, actor=customer)
    with pytest.raises(PermissionDenied):
        hold_release(hold=hold, actor=make_user())
    hold.refresh_from_db()
    assert hold.state == "active"


def test_holds_on_a_show_that_started_are_refused(ga_show, customer):
    with pytest.raises(errors.SalesClosed):
        hold_create_for_places(show=ga_show, quantity=1, actor=customer, now=ga_show.starts_at)
    assert not Hold.objects.exists()


def test_purge_frees_dead_claims_and_later_deletes_old_holds(
    seated_show, seats, customer, make_user
):
    live = hold_create_for_seats(show=seated_show, seat_ids=[seats[0].pk], actor=customer)
    dead = hold_create_for_seats(
        show=seated_show,
        seat_ids=[seats[1].pk],
        actor=make_user(),
        now=utcnow() - timedelta(minutes=30),
    )

    result = hold_purge_expired()

    assert (result.claims_freed, result.holds_deleted) == (1, 0)
    assert list(SeatClaim.objects.values_list("hold_id", flat=True)) == [live.pk]
    assert Hold.objects.filter(pk=dead.pk).exists()  # kept a day: a late client hears 409

    again = hold_purge_expired()
    assert (again.claims_freed, again.holds_deleted) == (0, 0)
    later = hold_purge_expired(now=utcnow() + timedelta(days=2))
    assert later.holds_deleted == 2
    assert not Hold.objects.exists()
    assert not SeatClaim.objects.exists()
