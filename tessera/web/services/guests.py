"""Booking without an account: the guest customer, the held booking, the email confirmation.

See docs/web.md, "Booking without an account", for the choices: a guest is a user with an
unusable password marked by a `GuestCustomer` row; an address that belongs to an account is
never used by a guest booking; the booking is `pending` until the email link is followed,
within `WEB_GUEST_CONFIRM_MINUTES`, after which the time-driven `expire` rule frees its time.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.models import Group
from django.db import IntegrityError, transaction

from tessera.accounts.models import User
from tessera.accounts.roles import Role
from tessera.bookings.models import Booking
from tessera.bookings.services.email_confirm import (
    booking_create_time_awaiting_email,
    booking_email_confirmed,
)
from tessera.core.clock import utcnow
from tessera.core.errors import Conflict, PermissionDenied
from tessera.notifications.services.preferences import preference_update
from tessera.scheduling.models import Resource

from ..models import GuestBooking, GuestCustomer
from .links import CONFIRM, SignedLink, link_spend


def _split_name(name: str) -> tuple[str, str]:
    first, _, last = name.strip().partition(" ")
    return first[:150], last.strip()[:150]


def guest_customer_for(*, name: str, email: str, phone: str, language: str = "") -> User:
    """The guest for this address (created on first use), or 409 `guest_email_has_account`
    when the address belongs to an account: its owner signs in instead, and nobody can attach
    bookings to someone else's account by typing their address.

    `phone` (international form) and `language` go to the guest's notification preferences,
    where every person's phone and language are kept (and erased)."""
    email = User.objects.normalize_email(email).strip()
    existing = User.objects.filter(email__iexact=email).first()
    if existing is not None:
        if not GuestCustomer.objects.filter(user=existing).exists():
            raise Conflict(
                "This email address belongs to an account: sign in to book.",
                code="guest_email_has_account",
                field="email",
            )
        _remember(existing, phone=phone, language=language)
        return existing
    first, last = _split_name(name)
    user = User(
        username=f"guest-{secrets.token_hex(6)}", email=email, first_name=first, last_name=last
    )
    user.set_unusable_password()
    try:
        with transaction.atomic():
            user.save()
            user.groups.add(Group.objects.get_or_create(name=Role.CUSTOMER.value)[0])
            GuestCustomer.objects.create(user=user)
    except IntegrityError:  # the same address booked at the same moment: use that guest
        return guest_customer_for(name=name, email=email, phone=phone, language=language)
    _remember(user, phone=phone, language=language)
    return user


def _remember(user: User, *, phone: str, language: str) -> None:
    changes: dict[str, str] = {"phone_number": phone} if phone else {}
    if language in settings.NOTIFICATIONS["LANGUAGES"]:
        changes["language"] = language
    if changes:
        preference_update(user=user, **changes)


def guest_booking_create(
    *,
    resource_id: int,
    start: datetime,
    name: str,
    email: str,
    phone: str,
    language: str = "",
    now: datetime | None = None,
) -> Booking:
    """Hold `start` on the resource for a guest until they confirm their address (the
    `booking.created` email carries the link), or refuse: 403 `guest_booking_disabled` where
    the owner does not take guests, 409 `guest_email_has_account`, and every refusal of a
    booking (`slot_unavailable`, `outside_availability`, ...)."""
    now = now or utcnow()
    resource = Resource.objects.filter(pk=resource_id, is_active=True).first()
    if resource is None or not resource.guest_booking:
        raise PermissionDenied(
            "This place takes bookings from signed-in people only.",
            code="guest_booking_disabled",
        )
    with transaction.atomic():
        customer = guest_customer_for(name=name, email=email, phone=phone, language=language)
        booking = booking_create_time_awaiting_email(
            customer=customer,
            resource_id=resource.pk,
            start=start,
            confirm_by=now + timedelta(minutes=settings.WEB_GUEST_CONFIRM_MINUTES),
            notes="Guest booking",
            now=now,
        )
        GuestBooking.objects.create(booking=booking)
    return booking


def guest_booking_confirm_email(*, link: SignedLink, now: datetime | None = None) -> Booking:
    """Follow the confirmation link: the booking goes on (see `booking_email_confirmed`) and
    the link is spent. Following it again after success answers with the booking as it is."""
    assert link.action == CONFIRM
    now = now or utcnow()
    with transaction.atomic():
        held = GuestBooking.objects.select_for_update().filter(booking=link.booking).first()
        if held is None:  # pragma: no cover - confirm links are issued for guest bookings only
            raise PermissionDenied("This booking needs no confirmation.", code="link_invalid")
        if held.email_confirmed_at is not None:
            return link.booking
        link_spend(link=link)
        booking = booking_email_confirmed(booking_id=link.booking.pk, now=now)
        held.email_confirmed_at = now
        held.save(update_fields=["email_confirmed_at"])
    return booking


def guest_awaits_email(*, booking: Booking) -> bool:
    return GuestBooking.objects.filter(booking=booking, email_confirmed_at__isnull=True).exists()
