"""What is shown and when: events, their shows, and a show's prices per seat category."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models

from .venues import Hall, Venue


class Event(models.Model):
    """What: a film, a play, a conference. Its shows say when and where."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="events"
    )
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True, default="")
    category = models.CharField(max_length=50, blank=True, default="", db_index=True)
    duration_minutes = models.PositiveIntegerField(null=True, blank=True)
    requires_approval = models.BooleanField(
        default=False,
        help_text="Bookings start as pending and hold their places until the organizer confirms.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["title", "id"]

    def __str__(self) -> str:
        return self.title


class Seating(models.TextChoices):
    GENERAL = "general", "general admission (a number of places)"
    RESERVED = "reserved", "reserved seating (named seats of a hall)"


class ShowStatus(models.TextChoices):
    SCHEDULED = "scheduled"
    CANCELLED = "cancelled"


class Show(models.Model):
    """When and where: one performance of an event.

    General admission sells up to `capacity` places; reserved seating sells the seats of `hall`.
    Two shows that are not cancelled never overlap in one hall: an exclusion constraint on
    PostgreSQL (migration 0002), serialised writes and the service's check on SQLite.
    `local_date` is the start's date in the venue's time zone (written by the service).
    """

    # Indexed by the (fk, starts_at) indexes below.
    event = models.ForeignKey(Event, on_delete=models.PROTECT, related_name="shows", db_index=False)
    venue = models.ForeignKey(Venue, on_delete=models.PROTECT, related_name="shows", db_index=False)
    hall = models.ForeignKey(
        Hall, on_delete=models.PROTECT, null=True, blank=True, related_name="shows", db_index=False
    )
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    local_date = models.DateField(db_index=True)
    seating = models.CharField(max_length=16, choices=Seating.choices)
    capacity = models.PositiveIntegerField(null=True, blank=True)
    price = models.DecimalField(
        max_digits=8,
        decimal_places=2,
        default=Decimal("0.00"),
        help_text="Price of a general-admission place, and of a seat whose category has none.",
    )
    currency = models.CharField(max_length=3)
    status = models.CharField(
        max_length=16, choices=ShowStatus.choices, default=ShowStatus.SCHEDULED
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["starts_at", "id"]
        indexes = [
            models.Index(fields=["event", "starts_at"]),
            models.Index(fields=["venue", "starts_at"]),
            models.Index(fields=["hall", "starts_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="events_show_span_positive",
            ),
            models.CheckConstraint(
                condition=models.Q(seating=Seating.RESERVED, hall__isnull=False)
                | models.Q(seating=Seating.GENERAL, capacity__gte=1),
                name="events_show_seating_complete",
            ),
            models.CheckConstraint(
                condition=models.Q(price__gte=0), name="events_show_price_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.event.title} @ {self.starts_at:%Y-%m-%d %H:%M}Z"

    @property
    def is_reserved(self) -> bool:
        return self.seating == Seating.RESERVED


class ShowPrice(models.Model):
    """The price of a seat category at a show."""

    show = models.ForeignKey(Show, on_delete=models.CASCADE, related_name="prices")
    category = models.CharField(max_length=32)
    amount = models.DecimalField(max_digits=8, decimal_places=2)

    class Meta:
        ordering = ["show_id", "category"]
        constraints = [
            models.UniqueConstraint(
                fields=["show", "category"], name="events_showprice_unique_category"
            ),
            models.CheckConstraint(
                condition=models.Q(amount__gte=0), name="events_showprice_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.category}: {self.amount}"
