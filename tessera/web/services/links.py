"""Signed links that act on one booking without signing in: confirm a guest's email, view,
cancel, reschedule.

A token is Django's `signing.dumps` (a TimestampSigner under the hood, keyed by SECRET_KEY,
with a salt of its own) of `{booking, customer, action, nonce}`. It is refused when the
signature is wrong (`link_invalid`), when it is older than its action allows
(`link_expired`: `WEB_GUEST_CONFIRM_MINUTES` to confirm an email, `WEB_MANAGE_LINK_DAYS`
otherwise), when the booking no longer belongs to the customer it was issued to, and, for the
actions that change something, when it was used once already (`link_used`). A use is a
`SignedLinkUse` row written in the transaction of the change, so a refused change spends
nothing and two racing uses cannot both succeed.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.urls import reverse

from tessera.bookings.models import Booking
from tessera.core.clock import utcnow
from tessera.core.errors import Conflict, DomainError, NotFound

from ..models import SignedLinkUse

SALT = "tessera.web.booking-links"
VIEW, CANCEL, RESCHEDULE, CONFIRM = "view", "cancel", "reschedule", "confirm"
SINGLE_USE = frozenset({CANCEL, RESCHEDULE, CONFIRM})
URL_NAMES = {
    VIEW: "web:manage",
    CANCEL: "web:manage-cancel",
    RESCHEDULE: "web:manage-reschedule",
    CONFIRM: "web:guest-confirm",
}


class LinkExpired(DomainError):
    status = 410
    default_code = "link_expired"
    default_message = "This link has expired."
    title = "Gone"


@dataclass(frozen=True)
class SignedLink:
    booking: Booking
    action: str
    token: str


def max_age(action: str) -> timedelta:
    if action == CONFIRM:
        return timedelta(minutes=settings.WEB_GUEST_CONFIRM_MINUTES)
    return timedelta(days=settings.WEB_MANAGE_LINK_DAYS)


def link_token(*, booking: Booking, action: str) -> str:
    payload = {
        "b": booking.pk,
        "c": booking.customer_id,
        "a": action,
        "n": secrets.token_urlsafe(6),
    }
    return signing.dumps(payload, salt=SALT, compress=True)


def link_path(*, booking: Booking, action: str) -> str:
    return reverse(URL_NAMES[action], args=[link_token(booking=booking, action=action)])


def link_url(*, booking: Booking, action: str) -> str:
    """The absolute address (`WEB_PUBLIC_URL` + path), for emails."""
    return settings.WEB_PUBLIC_URL.rstrip("/") + link_path(booking=booking, action=action)


def link_read(*, token: str, action: str) -> SignedLink:
    """The booking a valid, unexpired `action` token acts on (not yet marked as used)."""
    try:
        payload: Any = signing.loads(token, salt=SALT, max_age=max_age(action))
    except signing.SignatureExpired as exc:
        raise LinkExpired() from exc
    except signing.BadSignature as exc:
        raise _invalid() from exc
    if not isinstance(payload, dict) or payload.get("a") != action:
        raise _invalid()
    booking_id, customer_id = payload.get("b"), payload.get("c")
    if not isinstance(booking_id, int) or not isinstance(customer_id, int):
        raise _invalid()
    booking = (
        Booking.objects.select_related("customer")
        .filter(pk=booking_id, customer_id=customer_id)
        .first()
    )
    if booking is None:
        raise _invalid()
    return SignedLink(booking=booking, action=action, token=token)


def _invalid() -> NotFound:
    return NotFound("This link is not valid.", code="link_invalid")


def link_spend(*, link: SignedLink) -> None:
    """Mark a single-use link as used, in the caller's transaction (`link_used` if it was)."""
    if link.action not in SINGLE_USE:
        return
    digest = hashlib.sha256(link.token.encode()).hexdigest()
    try:
        with transaction.atomic():
            SignedLinkUse.objects.create(
                digest=digest, action=link.action, booking=link.booking, used_at=utcnow()
            )
    except IntegrityError as exc:
        raise Conflict("This link has been used already.", code="link_used") from exc


def link_was_used(*, link: SignedLink) -> bool:
    digest = hashlib.sha256(link.token.encode()).hexdigest()
    return SignedLinkUse.objects.filter(digest=digest).exists()
