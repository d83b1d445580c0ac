"""Erasure on request ("right to be forgotten"), by staff.

Who may erase whom is `tessera.accounts.guards` (nobody themselves or a superuser; only a
superuser a staff member). What erasing a person does, in one transaction:
- refused (`erasure_live_bookings`) while they have a live or waiting-list booking, and
  (`already_erased`) when done before;
- their bookings are anonymised (as the retention job does: the statistics stay), their
  archived bookings lose the customer and the notes in the snapshot;
- where they acted on others' bookings (made, cancelled, a history row) they become "someone";
- the account is scrubbed and disabled: username `erased-<id>`, no email, no names, no external
  identity, no password, inactive, no roles; the row itself stays (ids in logs stay meaningful);
- notification preferences deleted; sent notifications keep no address, subject or body;
  the events about them in the outbox and in webhook deliveries name the placeholder and
  lose their `reason`;
- walk-in entries keep their place in the history but no name, phone or user.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import Q

from tessera.accounts.access import ensure_can, is_staff
from tessera.accounts.guards import guard_erasure
from tessera.accounts.models import User
from tessera.bookings.models import LIVE_STATUSES, Booking, BookingStatus, BookingStatusChange
from tessera.core.clock import utcnow
from tessera.core.errors import NotFound, PermissionDenied
from tessera.notifications.models import Notification, NotificationPreference
from tessera.notifications.services import events_forget_customer
from tessera.walkins.models import WalkIn

from ..errors import AlreadyErased, ErasureBlockedByLiveBookings
from ..models import ArchivedBooking
from .scrub import ANONYMOUS_USERNAME, anonymous_customer, bookings_anonymise

ERASED_PREFIX = "erased-"


def user_erase(*, user_id: int, actor: Any, now: datetime | None = None) -> User:
    """Erase a person's data (staff only; see the module docstring). Returns the scrubbed user."""
    if not is_staff(actor):
        raise PermissionDenied("Only staff erase a person's data.")
    now = now or utcnow()
    with transaction.atomic():
        user = User.objects.select_for_update().filter(pk=user_id).first()
        if user is None or user.username == ANONYMOUS_USERNAME:
            raise NotFound("No such user.", code="user_not_found")
        ensure_can(actor, "change", user)
        guard_erasure(actor=actor, user=user)
        if user.username == f"{ERASED_PREFIX}{user.pk}":
            raise AlreadyErased()
        blocking = [*LIVE_STATUSES, BookingStatus.WAITLISTED]
        if Booking.objects.filter(customer=user, status__in=blocking).exists():
            raise ErasureBlockedByLiveBookings()
        ids = list(
            Booking.objects.select_for_update()
            .filter(customer=user)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        bookings_anonymise(ids=ids)
        _scrub_traces(user)
        _scrub_account(user)
        return user


def _scrub_traces(user: User) -> None:
    Booking.objects.filter(created_by=user).update(created_by=None)
    Booking.objects.filter(cancelled_by=user).update(cancelled_by=None)
    BookingStatusChange.objects.filter(actor=user).update(actor=None)
    for archived in ArchivedBooking.objects.filter(customer_id=user.pk).order_by("pk"):
        archived.customer_id = None
        booking = archived.snapshot.get("booking", {})
        booking.update(customer_id=None, notes="", cancel_reason="")
        for row in archived.snapshot.get("history", []):
            row["reason"] = ""
            if row.get("actor_id") == user.pk:
                row["actor_id"] = None
        archived.save(update_fields=["customer_id", "snapshot"])
    NotificationPreference.objects.filter(user=user).delete()
    Notification.objects.filter(user=user).update(recipient="", subject="", body="", ics="")
    events_forget_customer(customer_id=user.pk, replacement_id=anonymous_customer().pk)
    WalkIn.objects.filter(Q(user=user) | Q(added_by=user)).update(added_by=None)
    WalkIn.objects.filter(user=user).update(user=None, name="(erased)", phone="")


def _scrub_account(user: User) -> None:
    user.username = f"{ERASED_PREFIX}{user.pk}"
    user.email = ""
    user.first_name = ""
    user.last_name = ""
    user.external_issuer = ""
    user.external_subject = ""
    user.password = make_password(None)
    user.is_active = False
    user.is_staff = False
    user.is_superuser = False
    user.save()
    user.groups.clear()
    user.user_permissions.clear()
