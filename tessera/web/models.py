"""What the web pages keep of their own: who booked as a guest, which signed links were used,
and the sites an owner lets frame their booking page."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class GuestCustomer(models.Model):
    """A person who booked without an account.

    A guest is a `User` with an unusable password (nobody can sign in as them) and this row,
    which marks the user as a guest (their phone number is kept where everyone's is, in their
    notification preferences, so erasure and export treat it alike). One guest per email
    address: the same address booking again is the same guest. An address that belongs to a
    real account is never taken over by a guest booking (the page asks them to sign in).
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="guest_customer"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"guest {self.user.email}"


class GuestBooking(models.Model):
    """A booking made by a guest; it holds its time as pending until the email is confirmed."""

    booking = models.OneToOneField(
        "bookings.Booking", on_delete=models.CASCADE, related_name="guest_booking"
    )
    email_confirmed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"guest booking {self.booking_id}"


class SignedLinkUse(models.Model):
    """A single-use signed link (confirm, cancel, reschedule) that has been used: the SHA-256 of
    its token, unique, written in the transaction of the change it made."""

    digest = models.CharField(max_length=64, unique=True)
    action = models.CharField(max_length=16)
    booking = models.ForeignKey(
        "bookings.Booking", on_delete=models.CASCADE, related_name="+", db_index=True
    )
    used_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.action} link of booking {self.booking_id}"


class EmbedSettings(models.Model):
    """The sites (origins such as `https://barber.example`) allowed to frame an owner's
    booking pages; every other site is refused by `Content-Security-Policy: frame-ancestors`."""

    owner = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="embed_settings"
    )
    allowed_origins = models.JSONField(default=list, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "embed settings"

    def __str__(self) -> str:
        return f"embed settings of {self.owner}"
