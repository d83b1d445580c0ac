"""A person's data, as one JSON document (export on request).

`user_export` gathers the account, roles, every booking they made as customer (with what it
held and its history), archived bookings, notification preferences and walk-in entries, in a
fixed number of queries whatever their number of bookings.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db.models import Prefetch

from tessera.accounts.access import ensure_can
from tessera.accounts.models import User
from tessera.accounts.selectors import user_roles
from tessera.bookings.models import Booking, BookingStatusChange, TimeAllocation
from tessera.core.clock import utcnow
from tessera.core.errors import NotFound
from tessera.events.models import SeatClaim
from tessera.notifications.models import NotificationPreference
from tessera.walkins.models import WalkIn

from .models import ArchivedBooking


def user_export(*, user_id: int, actor: Any, now: datetime | None = None) -> dict[str, Any]:
    """The person's data (themself or staff; anyone else: 404)."""
    user = User.objects.prefetch_related("groups").filter(pk=user_id).first()
    if user is None or not _may_see(actor, user):
        raise NotFound("No such user.", code="user_not_found")
    ensure_can(actor, "view", user)
    bookings = (
        Booking.objects.filter(customer=user)
        .select_related("ticket__show__event")
        .prefetch_related(
            Prefetch("allocations", TimeAllocation.objects.select_related("resource")),
            Prefetch("history", BookingStatusChange.objects.order_by("at", "id")),
            Prefetch("seat_claims", SeatClaim.objects.select_related("seat")),
        )
        .order_by("starts_at", "pk")
    )
    preference = NotificationPreference.objects.filter(user=user).first()
    return {
        "exported_at": (now or utcnow()).isoformat(),
        "account": {
            "id": user.pk,
            "username": user.username,
            "email": user.email,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "date_joined": user.date_joined.isoformat(),
            "last_login": user.last_login.isoformat() if user.last_login else None,
            "roles": user_roles(user),
        },
        "bookings": [_booking(b) for b in bookings],
        "archived_bookings": [
            a.snapshot for a in ArchivedBooking.objects.filter(customer_id=user.pk).order_by("pk")
        ],
        "notification_preferences": _preference(preference),
        "walkins": [
            {
                "resource": w.resource.name,
                "position": w.position,
                "name": w.name,
                "phone": w.phone,
                "status": w.status,
                "joined_at": w.joined_at.isoformat(),
            }
            for w in WalkIn.objects.filter(user=user).select_related("resource").order_by("pk")
        ],
    }


def _may_see(actor: Any, user: User) -> bool:
    from tessera.accounts.access import user_can

    return user_can(actor, "view", user)


def _booking(b: Booking) -> dict[str, Any]:
    ticket = getattr(b, "ticket", None)
    return {
        "reference": b.reference,
        "kind": b.kind,
        "status": b.status,
        "starts_at": b.starts_at.isoformat(),
        "ends_at": b.ends_at.isoformat(),
        "notes": b.notes,
        "price": None if b.price is None else str(b.price),
        "currency": b.currency,
        "created_at": b.created_at.isoformat(),
        "cancelled_at": b.cancelled_at.isoformat() if b.cancelled_at else None,
        "cancel_reason": b.cancel_reason,
        "resources": [
            {
                "name": a.resource.name,
                "starts_at": a.starts_at.isoformat(),
                "ends_at": a.ends_at.isoformat(),
            }
            for a in b.allocations.all()
        ],
        "show": None
        if ticket is None
        else {
            "event": ticket.show.event.title,
            "starts_at": ticket.show.starts_at.isoformat(),
            "quantity": ticket.quantity,
        },
        "seats": [c.seat.label for c in b.seat_claims.all()],
        "history": [
            {"from": h.from_status, "to": h.to_status, "at": h.at.isoformat(), "reason": h.reason}
            for h in b.history.all()
        ],
    }


def _preference(p: NotificationPreference | None) -> dict[str, Any] | None:
    if p is None:
        return None
    return {
        "email_enabled": p.email_enabled,
        "sms_enabled": p.sms_enabled,
        "whatsapp_enabled": p.whatsapp_enabled,
        "phone_number": p.phone_number,
        "language": p.language,
        "opted_out": p.opted_out,
        "muted_events": p.muted_events,
    }
