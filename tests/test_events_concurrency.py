"""Real parallel clients against the ticket services: each thread is a buyer with its own
database connection, all released at once by a barrier.

On PostgreSQL this proves the constraints and locks (unique live seat claims, the show lock
for general admission, the customer lock for hold limits, the no-overlap exclusion
constraint). On SQLite the same races run through serialised write transactions.
"""

from __future__ import annotations

import random
import threading
import time
from collections import Counter
from collections.abc import Callable, Sequence
from datetime import timedelta
from functools import partial
from itertools import pairwise
from typing import Any

import pytest
from django.db import OperationalError, connection, connections
from django.db.models import Count, Sum

from tessera.accounts.roles import Role
from tessera.accounts.tests.factories import UserFactory
from tessera.bookings.models import Booking, BookingStatusChange
from tessera.core.clock import utcnow
from tessera.core.errors import DomainError
from tessera.events.errors import CapacityExceeded, HoldLimit, SeatTaken, ShowOverlap
from tessera.events.models import Hold, Seat, SeatClaim, Show, TicketBooking
from tessera.events.services.holds import hold_create_for_places, hold_create_for_seats
from tessera.events.services.shows import show_create
from tessera.events.services.tickets import (
    ticket_booking_create_for_places,
    ticket_booking_create_for_seats,
)
from tessera.events.tests.factories import (
    EventFactory,
    HallFactory,
    ReservedShowFactory,
    ShowFactory,
    VenueFactory,
    add_seats,
)

pytestmark = pytest.mark.django_db(transaction=True)


def repetitions() -> int:
    """Five rounds on PostgreSQL; two on SQLite, whose writers queue on one file lock with
    sleeping back-off (slow, but serialised: the point of the race)."""
    return 5 if connection.vendor == "postgresql" else 2


@pytest.fixture(autouse=True)
def _sqlite_on_disk(tmp_path: Any) -> Any:
    """On SQLite, race on a database file, as the embedded default runs (WAL, `BEGIN
    IMMEDIATE`, busy timeout): the in-memory test database cannot host parallel writers.
    It starts as a copy of the test database and is thrown away afterwards."""
    if connection.vendor != "sqlite":
        yield
        return
    import sqlite3

    settings_dict = connection.settings_dict
    memory_name = settings_dict["NAME"]
    keeper = sqlite3.connect(memory_name, uri=True)  # keeps the in-memory database alive
    target = sqlite3.connect(tmp_path / "race.sqlite3")
    keeper.backup(target)
    target.close()
    # Renamed first: Django never closes a connection to an in-memory database.
    settings_dict["NAME"] = str(tmp_path / "race.sqlite3")
    connections.close_all()
    try:
        yield
    finally:
        connections.close_all()
        settings_dict["NAME"] = memory_name
        connection.ensure_connection()  # back on the in-memory database before letting go
        keeper.close()


def run_parallel(tasks: Sequence[Callable[[], Any]]) -> list[Any]:
    """Run every task in its own thread, released together; each result is the task's return
    value or the exception it raised. Every thread closes its database connection."""
    barrier = threading.Barrier(len(tasks))
    results: list[Any] = [None] * len(tasks)

    def worker(index: int, task: Callable[[], Any]) -> None:
        try:
            _connect()
            barrier.wait(timeout=30)
            results[index] = task()
        except Exception as exc:  # the outcome under test
            results[index] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i, t)) for i, t in enumerate(tasks)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads), "a buyer hung"
    return results


def _connect() -> None:
    """Open this thread's connection before the barrier (retrying if the server is full of
    other test runs' connections), so the race itself measures only the sale."""
    for attempt in range(20):
        try:
            connection.ensure_connection()
            return
        except OperationalError as exc:
            if "too many clients" not in str(exc) or attempt == 19:
                raise
            time.sleep(0.25)


def _customers(n: int) -> list[Any]:
    return [UserFactory.create(role=Role.CUSTOMER) for _ in range(n)]


def _errors(results: list[Any]) -> list[DomainError]:
    unexpected = [r for r in results if isinstance(r, Exception) and not isinstance(r, DomainError)]
    assert not unexpected, unexpected
    return [r for r in results if isinstance(r, DomainError)]


def test_fifty_buyers_for_the_last_ten_seats_never_double_book():
    buyers = _customers(50)
    rng = random.Random(4)
    for rep in range(repetitions()):
        show = ReservedShowFactory.create(seats={"rows": "A-B", "numbers": "1-10"})
        seats = list(Seat.objects.filter(hall=show.hall).order_by("pk"))
        for seat in seats[:10]:  # the first ten are sold already
            ticket_booking_create_for_seats(
                show=show, seat_ids=[seat.pk], customer=buyers[0], actor=buyers[0]
            )
        last_ten = [seat.pk for seat in seats[10:]]
        wanted = [sorted(rng.sample(last_ten, rng.randint(1, 3))) for _ in buyers]

        results = run_parallel(
            [
                partial(ticket_booking_create_for_seats, show=show, seat_ids=w, customer=b, actor=b)
                for b, w in zip(buyers, wanted, strict=True)
            ]
        )

        losers = _errors(results)
        assert all(isinstance(e, SeatTaken) and e.status == 409 for e in losers), losers
        for result, asked in zip(results, wanted, strict=True):
            if isinstance(result, SeatTaken):  # told which of its seats were taken
                assert result.data["seat_ids"]
                assert set(result.data["seat_ids"]) <= set(asked)
        winners = [(r, w) for r, w in zip(results, wanted, strict=True) if isinstance(r, Booking)]
        sold = [seat for _, w in winners for seat in w]
        assert len(sold) == len(set(sold)), f"rep {rep}: a seat was sold twice"
        assert len(sold) <= 10
        live = SeatClaim.objects.filter(show=show, is_live=True)
        assert live.count() == 10 + len(sold)
        assert not live.values("seat").annotate(n=Count("pk")).filter(n__gt=1).exists()
        assert Booking.objects.filter(ticket__show=show).count() == 10 + len(winners)
        for booking, asked in winners:
            assert sorted(booking.seat_claims.values_list("seat_id", flat=True)) == asked
        # the negative: losers left no booking, no history, no claim behind
        assert BookingStatusChange.objects.filter(booking__ticket__show=show).count() == 10 + len(
            winners
        )


def test_fifty_buyers_for_the_last_ten_places_never_oversell():
    buyers = _customers(50)
    rng = random.Random(7)
    for _ in range(repetitions()):
        show = ShowFactory.create(capacity=100)
        organizer = show.event.owner  # the box office sells the first 90 in one go
        ticket_booking_create_for_places(
            show=show, quantity=90, customer=buyers[0], actor=organizer
        )
        wanted = [rng.choice([1, 1, 2]) for _ in buyers]

        results = run_parallel(
            [
                partial(
                    ticket_booking_create_for_places, show=show, quantity=q, customer=b, actor=b
                )
                for b, q in zip(buyers, wanted, strict=True)
            ]
        )

        losers = _errors(results)
        assert all(isinstance(e, CapacityExceeded) for e in losers), losers
        assert all(e.data["places_left"] < e.data["requested"] for e in losers)
        sold = TicketBooking.objects.filter(show=show, is_live=True).aggregate(n=Sum("quantity"))
        assert 99 <= sold["n"] <= 100
        winners = [r for r in results if isinstance(r, Booking)]
        assert sum(b.ticket.quantity for b in winners) == sold["n"] - 90
        assert Booking.objects.filter(ticket__show=show).count() == 1 + len(winners)


def test_holds_and_bookings_together_never_oversell_general_admission():
    buyers = _customers(30)
    for _ in range(repetitions()):
        show = ShowFactory.create(capacity=20)
        tasks = [
            partial(hold_create_for_places, show=show, quantity=2, actor=b)
            if i % 2
            else partial(
                ticket_booking_create_for_places, show=show, quantity=2, customer=b, actor=b
            )
            for i, b in enumerate(buyers)
        ]

        results = run_parallel(tasks)

        assert all(isinstance(e, CapacityExceeded) for e in _errors(results))
        sold = TicketBooking.objects.filter(show=show, is_live=True).aggregate(n=Sum("quantity"))
        held = Hold.objects.filter(show=show, state="active").aggregate(n=Sum("quantity"))
        assert (sold["n"] or 0) + (held["n"] or 0) == 20


def test_parallel_holds_are_all_or_nothing_and_never_share_a_seat():
    buyers = _customers(30)
    rng = random.Random(11)
    for _ in range(repetitions()):
        show = ReservedShowFactory.create(seats={"rows": "A", "numbers": "1-12"})
        ids = list(Seat.objects.filter(hall=show.hall).values_list("pk", flat=True))
        wanted = [sorted(rng.sample(ids, rng.randint(1, 4))) for _ in buyers]

        results = run_parallel(
            [
                partial(hold_create_for_seats, show=show, seat_ids=w, actor=b)
                for b, w in zip(buyers, wanted, strict=True)
            ]
        )

        assert all(isinstance(e, SeatTaken) for e in _errors(results))
        holds = [(r, w) for r, w in zip(results, wanted, strict=True) if isinstance(r, Hold)]
        for hold, asked in holds:
            assert sorted(hold.seat_claims.values_list("seat_id", flat=True)) == asked
        held = Counter(seat for _, w in holds for seat in w)
        assert all(n == 1 for n in held.values())
        assert SeatClaim.objects.filter(show=show).count() == sum(held.values())


def test_an_expired_hold_frees_its_seat_for_exactly_one_next_buyer():
    buyers = _customers(30)
    for _ in range(repetitions()):
        show = ReservedShowFactory.create(seats={"rows": "A", "numbers": "1-3"})
        seat = Seat.objects.filter(hall=show.hall).order_by("pk").first()
        assert seat is not None
        expired = hold_create_for_seats(
            show=show, seat_ids=[seat.pk], actor=buyers[0], now=utcnow() - timedelta(minutes=11)
        )

        results = run_parallel(
            [
                partial(
                    ticket_booking_create_for_seats,
                    show=show,
                    seat_ids=[seat.pk],
                    customer=b,
                    actor=b,
                )
                for b in buyers
            ]
        )

        winners = [r for r in results if isinstance(r, Booking)]
        assert len(winners) == 1
        assert all(isinstance(e, SeatTaken) for e in _errors(results))
        assert not SeatClaim.objects.filter(hold=expired).exists()
        assert SeatClaim.objects.get(show=show, seat=seat, is_live=True).booking == winners[0]


def test_one_customer_in_parallel_cannot_hold_past_the_limit(settings):
    settings.TESSERA_EVENTS = {**settings.TESSERA_EVENTS, "HOLD_MAX_ITEMS_PER_CUSTOMER": 5}
    (customer,) = _customers(1)
    show = ShowFactory.create(capacity=100)

    results = run_parallel(
        [partial(hold_create_for_places, show=show, quantity=1, actor=customer) for _ in range(20)]
    )

    assert all(isinstance(e, HoldLimit) for e in _errors(results))
    assert Hold.objects.filter(customer=customer).count() == 5


def test_parallel_scheduling_never_overlaps_shows_in_a_hall():
    organizer = UserFactory.create(role=Role.ORGANIZER)
    venue = VenueFactory.create(owner=organizer)
    event = EventFactory.create(owner=organizer, duration_minutes=60)
    hall = HallFactory.create(venue=venue)
    add_seats(hall)
    base = (utcnow() + timedelta(days=30)).replace(minute=0, second=0, microsecond=0)

    results = run_parallel(
        [
            partial(
                show_create,
                event=event,
                venue=venue,
                hall=hall,
                actor=organizer,
                starts_at=base + timedelta(minutes=5 * i),
            )
            for i in range(20)
        ]
    )

    assert all(isinstance(e, ShowOverlap) for e in _errors(results))
    shows = list(Show.objects.filter(hall=hall).order_by("starts_at"))
    assert 1 <= len(shows) <= 2  # 100 minutes of starts, 60-minute shows: at most two fit
    for earlier, later in pairwise(shows):
        assert earlier.ends_at <= later.starts_at


def _client(user: Any) -> Any:
    from rest_framework.test import APIClient
    from rest_framework_simplejwt.tokens import AccessToken

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {AccessToken.for_user(user)}")
    return client


def test_over_http_every_loser_gets_a_clear_409():
    """The same race through `POST /api/bookings/`: 201 or 409 with its code, never a 500."""
    buyers = _customers(50)
    rng = random.Random(5)
    places = ShowFactory.create(capacity=60)
    seated = ReservedShowFactory.create(seats={"rows": "A", "numbers": "1-10"})
    ticket_booking_create_for_places(
        show=places, quantity=50, customer=buyers[0], actor=places.event.owner
    )
    seat_ids = list(Seat.objects.filter(hall=seated.hall).values_list("pk", flat=True))
    bodies = [
        {"show": places.pk, "quantity": 1}
        if i % 2
        else {"show_id": seated.pk, "seat_ids": rng.sample(seat_ids, 2)}
        for i in range(len(buyers))
    ]
    clients = [_client(b) for b in buyers]

    responses = run_parallel(
        [
            partial(client.post, "/api/bookings/", body, format="json")
            for client, body in zip(clients, bodies, strict=True)
        ]
    )

    codes = Counter(
        (r.status_code, r.json().get("code") if r.status_code >= 400 else None) for r in responses
    )
    assert set(codes) <= {(201, None), (409, "capacity_exceeded"), (409, "seat_taken")}, codes
    sold = TicketBooking.objects.filter(show=places, is_live=True).aggregate(n=Sum("quantity"))
    assert sold["n"] == 60
    live = SeatClaim.objects.filter(show=seated, is_live=True)
    assert live.count() == len(set(live.values_list("seat_id", flat=True)))
    seat_winners = sum(
        1
        for r, b in zip(responses, bodies, strict=True)
        if "seat_ids" in b and r.status_code == 201
    )
    assert live.count() == 2 * seat_winners
