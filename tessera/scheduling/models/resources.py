"""A resource: anything booked by time (a barber, a room, a projector, a musician, a venue)."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from tessera.core.timezones import INVALID_TIMEZONE, is_iana_zone

MAX_CAPACITY = 10_000
MAX_MINUTES = 60 * 24 * 31  # a month: the largest duration, buffer, notice or deadline
MAX_ADVANCE_DAYS = 3660  # ten years


def validate_timezone(value: str) -> None:
    """The one zone rule (`tessera.core.timezones`) as a Django validator (model, admin)."""
    if not is_iana_zone(value):
        raise ValidationError(
            "%(value)s is not an IANA time zone (e.g. Europe/Lisbon).",
            code=INVALID_TIMEZONE,
            params={"value": value},
        )


class ResourceKind(models.TextChoices):
    PROVIDER = "provider", "provider (a person's time: barber, tutor, therapist)"
    ROOM = "room", "room or space"
    COURT = "court", "court or pitch"
    EQUIPMENT = "equipment", "equipment (projector, camera, …)"
    MUSICIAN = "musician", "musician or band"
    VENUE = "venue", "venue"
    OTHER = "other", "other"


def _minutes(help_text: str, *, null: bool = False, default: int | None = 0) -> models.Field:
    return models.PositiveIntegerField(
        null=null,
        blank=null,
        default=None if null else default,
        validators=[MaxValueValidator(MAX_MINUTES)],
        help_text=help_text,
    )


class Resource(models.Model):
    """Booked by time, up to `capacity` overlapping live bookings (1 = exclusive).

    The booking rules are in minutes except `max_advance` (days). A rule left empty falls back
    to the platform default in `settings.TESSERA`.
    """

    name = models.CharField(max_length=120)
    kind = models.CharField(max_length=16, choices=ResourceKind.choices)
    description = models.TextField(blank=True, default="")
    location = models.CharField(
        max_length=255,
        blank=True,
        default="",
        db_default="",  # added while the previous release serves (docs/operations.md, Upgrades)
        help_text="Where it is (an address), for people.",
    )
    capacity = models.PositiveIntegerField(
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_CAPACITY)],
        help_text="How many bookings may overlap (1 = exclusive). Also readable as max_slots.",
    )
    timezone = models.CharField(
        max_length=64,
        validators=[validate_timezone],
        help_text="IANA time zone of the weekly hours, closures and openings.",
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="resources"
    )
    is_active = models.BooleanField(default=True)

    default_duration = _minutes(
        "Minutes a booking lasts when the request gives no end (empty: platform default).",
        null=True,
    )
    slot_step = _minutes(
        "Minutes between the offered slot starts (empty: the booking's duration).", null=True
    )
    buffer_before = _minutes("Minutes kept free before each booking.")
    buffer_after = _minutes("Minutes kept free after each booking.")
    min_notice = _minutes("A booking must start at least this many minutes from now.")
    max_advance = models.PositiveIntegerField(
        null=True,
        blank=True,
        validators=[MaxValueValidator(MAX_ADVANCE_DAYS)],
        help_text="A booking may start at most this many days ahead (empty: platform default).",
    )
    cancellation_deadline = _minutes(
        "A customer may cancel or move a booking until this many minutes before it starts."
    )
    approval_required = models.BooleanField(
        default=False, help_text="Bookings stay pending until the owner confirms them."
    )
    guest_booking = models.BooleanField(
        default=False,
        db_default=False,
        help_text="People may book without an account (name, email, phone); the booking is "
        "held as pending until the email address is confirmed through a link.",
    )

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "id"]
        indexes = [
            models.Index(fields=["kind", "is_active"]),
            models.Index(fields=["owner", "is_active"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(capacity__gte=1), name="scheduling_resource_capacity_positive"
            ),
            models.CheckConstraint(
                condition=models.Q(default_duration__isnull=True)
                | models.Q(default_duration__gte=1),
                name="scheduling_resource_duration_positive",
            ),
            models.CheckConstraint(
                condition=models.Q(slot_step__isnull=True) | models.Q(slot_step__gte=1),
                name="scheduling_resource_step_positive",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def max_slots(self) -> int:
        """The capacity, under the name the academy's system used."""
        return self.capacity
