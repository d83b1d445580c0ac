"""Ticket bookings: seats, places, a hold turned into a booking, or "one place at this event".

Each takes what it books in one short transaction (`locks.ticket_transaction`): seats through
the unique constraint on live seat claims, places under the show's lock with a count. The price
is computed here from the show's prices, never taken from the customer. A booking starts
`confirmed`, or `pending` (keeping its places) when the event needs the organizer's approval.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.db import IntegrityError

from tessera.bookings.deadlines import approval_deadline
from tessera.bookings.models import Booking, BookingKind, BookingStatus
from tessera.bookings.services.new import Part, WaitlistSpot, booking_write_new
from tessera.bookings.waitlist import waitlist_key_for_show
from tessera.core.clock import utcnow
from tessera.core.errors import NotFound, ValidationFailed
from tessera.core.orm import prefetch_fill, related_fill

from ..errors import (
    CapacityExceeded,
    HoldExpired,
    HoldNotFound,
    SalesClosed,
    SeatTaken,
    ShowRequired,
)
from ..locks import lock_hold, lock_show_for_sale, lock_show_shared, ticket_transaction
from ..models import Event, Hold, HoldState, Seat, SeatClaim, Show, ShowStatus, TicketBooking
from .allotment import seat_category_ensure, seats_allot
from .claims import (
    ensure_seats_free,
    free_expired_claims,
    is_live_seat_conflict,
    new_seat_claims,
    places_taken,
    seat_conflicts_as_taken,
    seat_prices,
    seats_for_sale,
)
from .holds import ensure_hold_usable
from .rules import (
    ensure_booking_size,
    ensure_may_book_for,
    ensure_on_sale,
    ensure_seating,
    is_box_office,
)


def _new_booking(
    *,
    show: Show,
    customer: Any,
    actor: Any,
    quantity: int,
    price: Decimal | None,
    notes: str,
    now: datetime,
    seats: Sequence[Seat] = (),
    prices: dict[int, Decimal] | None = None,
    waiting: bool = False,
    category: str = "",
) -> Booking:
    """Write the booking, its ticket, its seat claims (if `seats`) and its first history row
    (one statement on PostgreSQL); its output then needs no further query. `waiting`: a
    `waitlisted` booking holding no places, put at the end of the show's waiting list."""
    pending = show.event.requires_approval and not waiting
    if waiting:
        status = BookingStatus.WAITLISTED
    else:
        status = BookingStatus.PENDING if pending else BookingStatus.CONFIRMED
    booking = Booking(
        kind=BookingKind.SEATING if show.is_reserved else BookingKind.ADMISSION,
        status=status,
        customer=customer,
        created_by=actor if actor.pk != customer.pk else None,
        starts_at=show.starts_at,
        ends_at=show.ends_at,
        notes=notes,
        price=price,
        currency=show.currency,
        confirm_deadline=approval_deadline(show.starts_at, now) if pending else None,
    )
    ticket = TicketBooking(booking=booking, show=show, quantity=quantity, is_live=not waiting)
    claims = new_seat_claims(show=show, seats=seats, prices=prices or {}, booking=booking)
    spot = None
    if waiting:
        list_key = waitlist_key_for_show(show_id=show.pk)
        spot = WaitlistSpot(list_key=list_key, quantity=quantity, category=category)
    return booking_write_new(
        booking=booking,
        actor=actor,
        parts=[
            Part("ticket", [ticket], alias="t", one=True),
            Part("seat_claims", claims, alias="c", key="seat_id"),  # in seat-id order
        ],
        now=now,
        waitlist=spot,
    )


def _keep_relations(locked: Show, show: Show) -> None:
    """The locked row (fresh columns) keeps the event and venue already read with `show`."""
    locked.event = show.event
    if Show.venue.is_cached(show):
        locked.venue = show.venue


def hand_over(booking: Booking, *, ticket: TicketBooking, claims: list[SeatClaim]) -> None:
    """Fill the booking's caches with the ticket and seat claims just written, as
    `prefetch_related` would, so its output reads them without another query."""
    related_fill(booking, "ticket", ticket)
    prefetch_fill(booking, "seat_claims", sorted(claims, key=lambda claim: claim.seat_id))


def ticket_booking_create_for_seats(
    *,
    show: Show,
    seat_ids: Sequence[int],
    customer: Any,
    actor: Any,
    notes: str = "",
    now: datetime | None = None,
) -> Booking:
    """Book these seats (all or none) for `customer`; `seat_taken` names the ones gone."""
    now = now or utcnow()
    ensure_may_book_for(actor=actor, customer=customer, show=show)
    ensure_seating(show, reserved=True)
    ensure_on_sale(show, now)
    ensure_booking_size(actor=actor, show=show, items=len(seat_ids))
    seats = seats_for_sale(show=show, seat_ids=seat_ids)
    prices = seat_prices(show=show, seats=seats)
    with (
        seat_conflicts_as_taken(show_id=show.pk, seat_ids=seat_ids, now=now),
        ticket_transaction(),
    ):
        locked = lock_show_shared(show_id=show.pk)
        if locked is None:
            raise NotFound("No such show.")
        ensure_on_sale(locked, now)
        _keep_relations(locked, show)
        ensure_seats_free(show=locked, seats=seats, now=now)
        booking = _new_booking(
            show=locked,
            customer=customer,
            actor=actor,
            quantity=len(seats),
            price=sum(prices.values(), Decimal("0")),
            notes=notes,
            now=now,
            seats=seats,
            prices=prices,
        )
    return booking


def ticket_booking_create_for_places(
    *,
    show: Show,
    quantity: int,
    customer: Any,
    actor: Any,
    notes: str = "",
    waitlist: bool = False,
    now: datetime | None = None,
) -> Booking:
    """Book `quantity` general-admission places, if that many are left (`capacity_exceeded`).
    `waitlist=True`: if fewer are left, join the show's waiting list instead (a `waitlisted`
    booking; `already_waitlisted` if the customer waits there already)."""
    now = now or utcnow()
    ensure_may_book_for(actor=actor, customer=customer, show=show)
    ensure_seating(show, reserved=False)
    ensure_on_sale(show, now)
    ensure_booking_size(actor=actor, show=show, items=quantity)
    with ticket_transaction():
        locked = lock_show_for_sale(show_id=show.pk)
        if locked is None:
            raise NotFound("No such show.")
        ensure_on_sale(locked, now)
        assert locked.capacity is not None
        left = locked.capacity - places_taken(show_id=locked.pk, now=now)
        if quantity > left and not waitlist:
            raise CapacityExceeded(places_left=max(left, 0), requested=quantity)
        _keep_relations(locked, show)
        return _new_booking(
            show=locked,
            customer=customer,
            actor=actor,
            quantity=quantity,
            price=locked.price * quantity,
            notes=notes,
            now=now,
            waiting=quantity > left,
        )


def ticket_booking_create_best_available(
    *,
    show: Show,
    quantity: int,
    customer: Any,
    actor: Any,
    category: str = "",
    notes: str = "",
    now: datetime | None = None,
) -> Booking:
    """`quantity` seats of a reserved-seating show chosen for the customer (of `category`, if
    given): the best available now (`domain/best_available.py`) if enough are free, else a
    place in the show's waiting list (a `waitlisted` booking holding no seats, its price set
    when seats are allotted). Only asked with `waitlist: true`; the waiting list is the
    show's, shared with nobody else (a show sells either seats or places)."""
    now = now or utcnow()
    ensure_may_book_for(actor=actor, customer=customer, show=show)
    ensure_seating(show, reserved=True)
    ensure_on_sale(show, now)
    ensure_booking_size(actor=actor, show=show, items=quantity)
    seat_category_ensure(show=show, category=category)
    chosen: list[int] = []
    try:
        with ticket_transaction():
            locked = lock_show_for_sale(show_id=show.pk)  # one allotment or joiner at a time
            if locked is None:
                raise NotFound("No such show.")
            ensure_on_sale(locked, now)
            locked.event = show.event
            try:
                seats = seats_allot(show=locked, quantity=quantity, category=category, now=now)
            except CapacityExceeded:
                seats = []
            chosen[:] = [s.pk for s in seats]
            prices = seat_prices(show=locked, seats=seats)
            if seats:
                free_expired_claims(show_id=locked.pk, seat_ids=chosen, now=now)
            return _new_booking(
                show=locked,
                customer=customer,
                actor=actor,
                quantity=quantity,
                price=sum(prices.values(), Decimal("0")) if seats else None,
                notes=notes,
                now=now,
                seats=seats,
                prices=prices,
                waiting=not seats,
                category=category,
            )
    except IntegrityError as exc:  # a buyer chose one of these seats at the same instant
        if not is_live_seat_conflict(exc):
            raise
        raise SeatTaken(
            "A seat chosen for you was just taken; try again.", seat_ids=chosen
        ) from exc


def ticket_booking_create_from_hold(
    *,
    token: str,
    actor: Any,
    customer: Any | None = None,
    notes: str = "",
    now: datetime | None = None,
) -> Booking:
    """Turn a live hold into a booking for the hold's customer, at the hold's price.

    The seats stay claimed throughout (their claims move from the hold to the booking); a hold
    that expired, was released or was used answers with its own 409.
    """
    now = now or utcnow()
    hold = Hold.objects.select_related("show__event").filter(token=token).first()
    if hold is None:
        raise HoldNotFound()
    if hold.customer_id != actor.pk and not is_box_office(actor, hold.show):
        raise HoldNotFound()  # someone else's token: do not confirm that it exists
    if customer is not None and customer.pk != hold.customer_id:
        raise ValidationFailed(
            "A hold is booked for the customer who holds it.",
            code="not_hold_customer",
            field="user",
        )
    ensure_hold_usable(hold, now)
    show = hold.show
    with ticket_transaction():
        lock = lock_show_shared if show.is_reserved else lock_show_for_sale
        locked_show = lock(show_id=show.pk)
        locked = lock_hold(hold_id=hold.pk)
        if locked_show is None or locked is None:
            raise HoldNotFound()
        ensure_hold_usable(locked, now)
        ensure_on_sale(locked_show, now)
        _keep_relations(locked_show, show)
        booking = _new_booking(
            show=locked_show,
            customer=hold.customer,
            actor=actor,
            quantity=locked.quantity,
            price=locked.price,
            notes=notes,
            now=now,
        )
        if show.is_reserved:
            moved = SeatClaim.objects.filter(hold=locked, is_live=True).update(
                booking=booking, hold=None, expires_at=None
            )
            if moved != locked.quantity:  # its claims were freed as expired meanwhile
                raise HoldExpired(expired_at=locked.expires_at.isoformat())
            claims = list(SeatClaim.objects.filter(booking=booking).select_related("seat"))
            hand_over(booking, ticket=booking.ticket, claims=claims)
        locked.state = HoldState.CONSUMED
        locked.booking = booking
        locked.save(update_fields=["state", "booking"])
    return booking


def ticket_booking_create_for_event(
    *,
    event: Event,
    customer: Any,
    actor: Any,
    quantity: int = 1,
    notes: str = "",
    now: datetime | None = None,
) -> Booking:
    """`{"user", "event"}` of the earlier event platform: places at an event with one show.

    An event with several shows answers `show_required` with the ids of those on sale.
    """
    now = now or utcnow()
    shows = list(event.shows.exclude(status=ShowStatus.CANCELLED).order_by("starts_at", "pk"))
    if not shows:
        raise SalesClosed("This event has no show on sale.", event_id=event.pk)
    if len(shows) > 1:
        on_sale = [show.pk for show in shows if show.starts_at > now]
        raise ShowRequired(
            "This event has several shows: book one of them (show and quantity).",
            show_ids=on_sale,
        )
    show = shows[0]
    show.event = event
    if show.is_reserved:
        raise ShowRequired(
            "This event has reserved seating: book seats of its show (show_id and seat_ids).",
            show_ids=[show.pk],
        )
    return ticket_booking_create_for_places(
        show=show, quantity=quantity, customer=customer, actor=actor, notes=notes, now=now
    )
