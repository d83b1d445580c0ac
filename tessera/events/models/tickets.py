"""What a ticket booking or a hold occupies at a show.

- `TicketBooking`: the booking's link to its show and how many seats or places it takes.
- `Hold`: a short-lived claim (a token with an expiry) taken while a customer checks out.
- `SeatClaim`: one seat at one show, claimed by a hold or by a booking. A unique constraint on
  the *live* claims makes "a seat is held or booked at most once per show" a database fact.

Expiry is decided in the query (`expires_at > now`); a buyer who wants a seat of an expired hold
deletes that dead claim in its own transaction, and `hold_purge_expired` cleans up the rest.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from tessera.bookings.models import Booking

from .events import Show
from .venues import Seat

SEAT_CLAIM_LIVE_UNIQUE = "events_seatclaim_live_unique"


class TicketBooking(models.Model):
    """The part of a booking that is about a show: which show, how many seats or places.

    `is_live` follows the booking's status (see `services/status.py`); general-admission
    capacity counts the live rows.
    """

    booking = models.OneToOneField(
        Booking, on_delete=models.CASCADE, primary_key=True, related_name="ticket"
    )
    show = models.ForeignKey(Show, on_delete=models.PROTECT, related_name="ticket_bookings")
    quantity = models.PositiveIntegerField()
    is_live = models.BooleanField(default=True)

    class Meta:
        indexes = [models.Index(fields=["show", "is_live"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(quantity__gte=1), name="events_ticketbooking_quantity_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.booking_id}: {self.quantity} at show {self.show_id}"


class HoldState(models.TextChoices):
    ACTIVE = "active"  # until it expires (expires_at <= now: "expired", decided in the query)
    RELEASED = "released"
    CONSUMED = "consumed"


class Hold(models.Model):
    """Seats (through its `SeatClaim`s) or general-admission places kept for a customer."""

    token = models.CharField(max_length=64, unique=True)
    show = models.ForeignKey(Show, on_delete=models.CASCADE, related_name="holds")
    customer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="ticket_holds"
    )
    quantity = models.PositiveIntegerField()
    price = models.DecimalField(
        max_digits=10, decimal_places=2, help_text="What a booking from this hold costs."
    )
    expires_at = models.DateTimeField()
    state = models.CharField(max_length=16, choices=HoldState.choices, default=HoldState.ACTIVE)
    booking = models.ForeignKey(
        Booking, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["show", "state", "expires_at"]),
            models.Index(fields=["customer", "state", "expires_at"]),
            models.Index(fields=["state", "expires_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(quantity__gte=1), name="events_hold_quantity_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"hold {self.pk} ({self.quantity} at show {self.show_id}, {self.state})"


class SeatClaim(models.Model):
    """One seat at one show, taken by a hold (until `expires_at`) or by a booking."""

    show = models.ForeignKey(Show, on_delete=models.PROTECT, related_name="seat_claims")
    seat = models.ForeignKey(Seat, on_delete=models.PROTECT, related_name="claims")
    booking = models.ForeignKey(
        Booking, on_delete=models.CASCADE, null=True, blank=True, related_name="seat_claims"
    )
    hold = models.ForeignKey(
        Hold, on_delete=models.CASCADE, null=True, blank=True, related_name="seat_claims"
    )
    price = models.DecimalField(max_digits=8, decimal_places=2)
    is_live = models.BooleanField(default=True)
    expires_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["show_id", "seat_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["show", "seat"],
                condition=models.Q(is_live=True),
                name=SEAT_CLAIM_LIVE_UNIQUE,
            ),
            models.CheckConstraint(
                condition=models.Q(
                    booking__isnull=False, hold__isnull=True, expires_at__isnull=True
                )
                | models.Q(booking__isnull=True, hold__isnull=False, expires_at__isnull=False),
                name="events_seatclaim_booking_xor_hold",
            ),
        ]

    def __str__(self) -> str:
        return f"seat {self.seat_id} at show {self.show_id}"
