"""Writes of walk-in queues: join, serve, leave. Each takes the queue's lock (the resource row),
re-checks, then writes; nothing leaves the transaction: the person is told through the outbox
(`walkin.joined` with their place and estimated wait, `walkin.called` when served), written in
the same transaction, when they have an account (a name-only walk-in has no address to use)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max

from tessera.accounts.access import ensure_can, user_can
from tessera.bookings.services.records import booking_record_completed
from tessera.core.clock import utcnow
from tessera.core.errors import NotFound, PermissionDenied
from tessera.notifications.services import walkin_event_publish
from tessera.scheduling.models import Resource

from .errors import (
    AlreadyFinished,
    AlreadyInQueue,
    FinishTooSoon,
    NotServed,
    NotWaiting,
    QueueClosed,
    QueueEmpty,
    WalkInIdentityRequired,
)
from .locks import queue_lock, walkin_lock
from .models import WalkIn, WalkInStatus
from .selectors import walkin_wait_estimate


def walkin_join(
    *,
    resource: Resource,
    actor: Any,
    name: str = "",
    phone: str = "",
    user: Any = None,
    now: datetime | None = None,
) -> WalkIn:
    """Put someone at the end of the resource's queue.

    A customer joins as themself (`user` is the actor; name and phone optional). The resource's
    owner or staff add anyone: a user, or a name (and phone) of a person without an account.
    Refused: `walkin_queue_closed` (inactive resource), `walkin_identity_required`,
    `walkin_already_in_queue` (that user is waiting here already).
    """
    now = now or utcnow()
    manages = user_can(actor, "change", resource)
    if not manages:
        if user is not None and user.pk != actor.pk:
            raise PermissionDenied("Only the resource's owner queues someone else.")
        user = actor
    if user is None and not name.strip():
        raise WalkInIdentityRequired(field="name")
    with transaction.atomic():
        locked = queue_lock(resource_id=resource.pk)
        if not locked.is_active:
            raise QueueClosed()
        if user is not None and _waiting(locked).filter(user=user).exists():
            raise AlreadyInQueue()
        last = WalkIn.objects.filter(resource=locked).aggregate(last=Max("position"))["last"]
        try:
            with transaction.atomic():
                walkin = WalkIn.objects.create(
                    resource=locked,
                    position=(last or 0) + 1,
                    user=user,
                    name=name.strip(),
                    phone=phone.strip(),
                    added_by=actor,
                    joined_at=now,
                )
        except IntegrityError as exc:  # the constraint behind the check above
            raise AlreadyInQueue() from exc
        _tell(walkin, "walkin.joined", now=now)
        return walkin


def walkin_serve(
    *, resource: Resource, actor: Any, walkin_id: int | None = None, now: datetime | None = None
) -> WalkIn:
    """Serve the next walk-in (lowest position still waiting) or the one given.

    Only the resource's owner or staff. Refused: `walkin_queue_empty`, `walkin_not_waiting`
    (the given one left or was served), `walkin_not_found`.
    """
    ensure_can(actor, "change", resource)
    now = now or utcnow()
    with transaction.atomic():
        locked = queue_lock(resource_id=resource.pk)
        if walkin_id is None:
            chosen = _waiting(locked).order_by("position").first()
            if chosen is None:
                raise QueueEmpty()
        else:
            chosen = walkin_lock(walkin_id=walkin_id)
            if chosen is None or chosen.resource_id != locked.pk:
                raise NotFound("No such walk-in in this queue.", code="walkin_not_found")
            if chosen.status != WalkInStatus.WAITING:
                raise NotWaiting()
        chosen.status = WalkInStatus.SERVED
        chosen.served_at = now
        chosen.save(update_fields=["status", "served_at"])
        _tell(chosen, "walkin.called", now=now)
        return chosen


def walkin_leave(*, walkin: WalkIn, actor: Any, now: datetime | None = None) -> WalkIn:
    """Take a waiting walk-in out of the queue (the person themself, the owner or staff).

    Refused: `walkin_not_waiting`. The entry is kept, marked `left`.
    """
    ensure_can(actor, "change", walkin)
    now = now or utcnow()
    with transaction.atomic():
        queue_lock(resource_id=walkin.resource_id)
        locked = walkin_lock(walkin_id=walkin.pk)
        if locked is None or locked.status != WalkInStatus.WAITING:
            raise NotWaiting()
        locked.status = WalkInStatus.LEFT
        locked.left_at = now
        locked.save(update_fields=["status", "left_at"])
        return locked


def walkin_finish(*, walkin: WalkIn, actor: Any, now: datetime | None = None) -> WalkIn:
    """The service of a served walk-in has ended (the resource's owner or staff).

    Records `finished_at` and, for a person with an account, a `completed` booking of the
    resource for [served_at, now) (`bookings.services.records.booking_record_completed`: it
    takes no capacity), asked at `joined_at`. Refused: `walkin_not_served` (waiting or left),
    `walkin_already_finished`, `walkin_finish_too_soon` (no time has passed since serving).
    """
    ensure_can(actor, "change", walkin.resource)
    now = now or utcnow()
    with transaction.atomic():
        locked_queue = queue_lock(resource_id=walkin.resource_id)
        locked = walkin_lock(walkin_id=walkin.pk)
        if locked is None or locked.status != WalkInStatus.SERVED or locked.served_at is None:
            raise NotServed()
        if locked.finished_at is not None:
            raise AlreadyFinished(booking=locked.booking_id)
        if now <= locked.served_at:
            raise FinishTooSoon(served_at=locked.served_at.isoformat())
        locked.finished_at = now
        if locked.user is not None:
            locked.booking = booking_record_completed(
                resource_id=locked_queue.pk,
                customer=locked.user,
                actor=actor,
                start=locked.served_at,
                end=now,
                asked_at=locked.joined_at,
                notes=f"Walk-in #{locked.position}",
                now=now,
            )
        locked.save(update_fields=["finished_at", "booking"])
        return locked


def _tell(walkin: WalkIn, event_type: str, *, now: datetime) -> None:
    """Write the walk-in's event to the outbox (caller's transaction, holding the queue's lock):
    `walkin.joined` carries the place in line and the estimated wait."""
    if walkin.user_id is None:
        return
    resource = walkin.resource
    event: dict[str, Any] = {
        "type": event_type,
        "walkin_id": walkin.pk,
        "customer_id": walkin.user_id,
        "resource_id": resource.pk,
        "title": resource.name,
        "timezone": resource.timezone,
    }
    if event_type == "walkin.joined":
        estimate = walkin_wait_estimate(resource=resource, position=walkin.position, now=now)
        event["position"] = estimate.ahead + 1
        event["wait_minutes"] = round(estimate.wait.total_seconds() / 60)
        event["estimated_at"] = now + estimate.wait
    walkin_event_publish(event=event, now=now)


def _waiting(resource: Resource) -> Any:
    return WalkIn.objects.filter(resource=resource, status=WalkInStatus.WAITING)
