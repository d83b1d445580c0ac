"""Status changes of a booking, each through `lifecycle.booking_transition` (one table, one
history row each): cancel, confirm, decline, mark as no-show, expire overdue pending ones.

Cancel, decline and no-show free what the booking held: each then calls
`promotion.waitlist_promote_after_freed` by name, in the same transaction (lock order: the
booking, the candidates, then the resource or show)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction

from tessera.core.clock import utcnow
from tessera.core.errors import Conflict, NotFound, PermissionDenied

from ..access import is_manager
from ..deadlines import approval_deadline
from ..errors import CancellationDeadlinePassed, IllegalTransition, OfferNotAccepted
from ..lifecycle import booking_transition
from ..locks import booking_lock
from ..models import Booking, BookingStatus, BookingStatusChange, TimeAllocation
from ..promotion import waitlist_awaits_approval, waitlist_promote_after_freed
from ..selectors.bookings import booking_get_for_actor
from ..waitlist import waitlist_offer_accept, waitlist_offer_of

S = BookingStatus


def _locked_for_change(*, booking_id: int, actor: Any) -> Booking:
    """Check the actor may change the booking, then lock it. Caller is in a transaction."""
    booking_get_for_actor(booking_id=booking_id, actor=actor, action="change")
    booking = booking_lock(booking_id=booking_id)
    if booking is None:  # pragma: no cover - deleted between the two reads; nothing deletes
        raise NotFound("No such booking.", code="booking_not_found")
    return booking


def _strictest_deadline(booking: Booking) -> timedelta:
    minutes = [a.resource.cancellation_deadline for a in _allocations(booking)]
    return timedelta(minutes=max(minutes, default=0))


def _allocations(booking: Booking) -> list[TimeAllocation]:
    return list(TimeAllocation.objects.filter(booking=booking).select_related("resource"))


def ensure_before_deadline(*, booking: Booking, actor: Any, now: datetime) -> None:
    """A customer may cancel or move a booking only until the resources' deadline before its
    start; managers (the owners, staff) may always."""
    if is_manager(actor, booking):
        return
    if now > booking.starts_at - _strictest_deadline(booking):
        raise CancellationDeadlinePassed(starts_at=booking.starts_at.isoformat())


def booking_cancel(
    *, booking_id: int, actor: Any, reason: str = "", now: datetime | None = None
) -> Booking:
    """Cancel (the record stays, with who, when and why). The customer is bound by the
    cancellation deadline; owners and staff are not. The booking's time is free at once."""
    now = now or utcnow()
    with transaction.atomic():
        booking = _locked_for_change(booking_id=booking_id, actor=actor)
        if booking.status in (S.PENDING, S.CONFIRMED) and not _open_offer(booking):
            ensure_before_deadline(booking=booking, actor=actor, now=now)
        return _free(booking, to=S.CANCELLED, actor=actor, reason=reason, now=now)


def _free(booking: Booking, *, to: str, actor: Any, reason: str, now: datetime) -> Booking:
    """Move the booking to a status that may free its place, then promote from the waiting
    list into that place; `booking.promoted_booking_ids` lists whom. Caller holds its lock."""
    from_status = booking.status
    booking_transition(booking=booking, to=to, actor=actor, reason=reason, now=now)
    booking.promoted_booking_ids = waitlist_promote_after_freed(
        freed=booking, from_status=from_status, to_status=to, now=now
    )
    return booking


def _open_offer(booking: Booking) -> bool:
    """A place offered from the waiting list and not yet accepted: its customer may turn it
    down whatever the cancellation deadline (it was never theirs to keep)."""
    offer = waitlist_offer_of(booking=booking)
    return offer is not None and offer.accepted_at is None


def _managed(booking_id: int, actor: Any, what: str) -> Booking:
    booking = _locked_for_change(booking_id=booking_id, actor=actor)
    if not is_manager(actor, booking):
        raise PermissionDenied(f"Only the resource's owner or staff may {what} a booking.")
    return booking


def booking_confirm(*, booking_id: int, actor: Any, now: datetime | None = None) -> Booking:
    """Confirm a pending booking: its owners' approval and, for a place offered from the
    waiting list, its customer's acceptance. It becomes `confirmed` when nothing is awaited.

    - An owner approves the allocations on their resources (staff approve all; an organizer
      approves a ticket booking as a whole).
    - An open offer (`WAITLIST_PROMOTE_TO = "pending"`) is accepted by its customer (or by staff
      for them) before its deadline (`offer_expired` after). Accepting when the owner has yet to
      approve leaves the booking pending with the approval deadline of a new request; accepting
      twice changes nothing. An owner's confirm of an open offer records their approval where
      there is something to approve, else it is refused with `offer_not_accepted`.
    """
    now = now or utcnow()
    with transaction.atomic():
        booking = _locked_for_change(booking_id=booking_id, actor=actor)
        manager = is_manager(actor, booking)
        offer = waitlist_offer_of(booking=booking)
        if offer is not None and offer.accepted_at is not None:
            offer = None  # accepted already: what is left is the owner's approval
            if not manager:
                return booking  # a retry
        customer_side = booking.customer_id == actor.pk or _is_staff(actor)
        accepts = offer is not None and customer_side
        if not manager and not accepts:
            raise PermissionDenied("Only the resource's owner or staff may confirm a booking.")
        if booking.status != S.PENDING:
            return booking_transition(booking=booking, to=S.CONFIRMED, actor=actor, now=now)
        if accepts:
            assert offer is not None
            waitlist_offer_accept(booking=booking, entry=offer, now=now)
        approved = _approve_parts(booking, actor) if manager else 0
        if offer is not None and not accepts:
            if not approved:
                raise OfferNotAccepted(confirm_deadline=_iso(booking.confirm_deadline))
            return booking  # approved; the customer has yet to accept
        if _awaits_approval(booking, manager):
            if accepts:  # now a request like any other: the owner's time to approve starts
                booking.confirm_deadline = approval_deadline(booking.starts_at, now)
                booking.save(update_fields=["confirm_deadline", "updated_at"])
            return booking
        return booking_transition(
            booking=booking,
            to=S.CONFIRMED,
            actor=actor,
            now=now,
            extra_fields={"confirm_deadline": None},
        )


def _approve_parts(booking: Booking, actor: Any) -> int:
    """Approve the allocations the actor owns (staff: all); how many were approved."""
    allocations = TimeAllocation.objects.filter(booking=booking, approved=False)
    if not _is_staff(actor):
        allocations = allocations.filter(resource__owner=actor)
    return allocations.update(approved=True)


def _awaits_approval(booking: Booking, manager: bool) -> bool:
    """After this confirm, does an owner's approval still lack? A manager's confirm is the
    approval, except of the parts (allocations) other owners of a gig have to approve."""
    if manager:
        return TimeAllocation.objects.filter(booking=booking, approved=False).exists()
    return waitlist_awaits_approval(booking=booking)


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment is not None else None


def _is_staff(actor: Any) -> bool:
    from tessera.accounts.access import is_staff

    return is_staff(actor)


def booking_decline(
    *, booking_id: int, actor: Any, reason: str = "", now: datetime | None = None
) -> Booking:
    """Refuse a pending booking (any one owner of a gig may); its time is free at once."""
    now = now or utcnow()
    with transaction.atomic():
        booking = _managed(booking_id, actor, "decline")
        return _free(booking, to=S.DECLINED, actor=actor, reason=reason, now=now)


def booking_mark_no_show(
    *, booking_id: int, actor: Any, reason: str = "", now: datetime | None = None
) -> Booking:
    """The customer did not come. Only once the booking has started; owners and staff.

    Also after the background job completed it, until `TESSERA["NO_SHOW_WINDOW_HOURS"]` after
    its end (`no_show_window_passed` later); a completed record that never was live (a finished
    walk-in) is refused as an illegal transition.
    """
    now = now or utcnow()
    with transaction.atomic():
        booking = _managed(booking_id, actor, "mark as no-show")
        if booking.status in (S.CONFIRMED, S.IN_PROGRESS) and now < booking.starts_at:
            raise Conflict(
                "A booking can be marked as no-show only once it has started.",
                code="not_started",
                starts_at=booking.starts_at.isoformat(),
            )
        if booking.status == S.COMPLETED:
            _ensure_no_show_window(booking, now)
        return _free(booking, to=S.NO_SHOW, actor=actor, reason=reason, now=now)


def _ensure_no_show_window(booking: Booking, now: datetime) -> None:
    closes = booking.ends_at + timedelta(hours=settings.TESSERA["NO_SHOW_WINDOW_HOURS"])
    if now > closes:
        raise Conflict(
            "The time to mark this booking as no-show has passed.",
            code="no_show_window_passed",
            closed_at=closes.isoformat(),
        )
    if not BookingStatusChange.objects.filter(booking=booking, from_status__gt="").exists():
        raise IllegalTransition(
            "A booking recorded as completed cannot become no_show.",
            from_status=booking.status,
            to_status=S.NO_SHOW,
        )


def booking_expire_overdue(*, now: datetime | None = None, limit: int = 500) -> int:
    """Expire pending bookings whose confirmation deadline has passed; returns how many.

    Idempotent (a second run finds nothing) and safe to run concurrently (rows another run
    holds are skipped). The `expire` rule of `timed.bookings_advance_due`, on its own.
    """
    from .timed import RULES_BY_NAME, bookings_advance_due

    moved = bookings_advance_due(now=now, limit=limit, rules=(RULES_BY_NAME["expire"],))
    return moved["expire"]


def booking_set_status(
    *, booking_id: int, actor: Any, status: str, reason: str = "", now: datetime | None = None
) -> Booking:
    """Ask for a status by name (`PUT {"status": "cancelled"}` of the earlier systems): the
    same services, rights and rules as the dedicated endpoints."""
    if status == S.CANCELLED:
        return booking_cancel(booking_id=booking_id, actor=actor, reason=reason, now=now)
    if status == S.CONFIRMED:
        return booking_confirm(booking_id=booking_id, actor=actor, now=now)
    if status == S.DECLINED:
        return booking_decline(booking_id=booking_id, actor=actor, reason=reason, now=now)
    if status == S.NO_SHOW:
        return booking_mark_no_show(booking_id=booking_id, actor=actor, reason=reason, now=now)
    raise Conflict(f"A booking cannot be set to {status!r} directly.", code="illegal_transition")
