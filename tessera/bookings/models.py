"""The one booking record every kind shares, and its history.

What a booking holds lives beside it: time allocations (`TimeAllocation`: resource + range;
several for a gig) in this app, places and seats at a show in `events`. The header carries
what every kind has: reference, customer, status, the span it covers (for filters and the
time-driven jobs), notes, price. Status is only ever written by `lifecycle.booking_transition`.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models

_REFERENCE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I


def new_reference() -> str:
    return "".join(secrets.choice(_REFERENCE_ALPHABET) for _ in range(10))


class BookingStatus(models.TextChoices):
    WAITLISTED = "waitlisted"
    PENDING = "pending"
    CONFIRMED = "confirmed"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    CANCELLED = "cancelled"
    DECLINED = "declined"
    EXPIRED = "expired"
    NO_SHOW = "no_show"


# Live bookings occupy what they hold (invariant 1 and 2 of DESIGN.md).
LIVE_STATUSES = frozenset(
    {BookingStatus.PENDING, BookingStatus.CONFIRMED, BookingStatus.IN_PROGRESS}
)


class BookingKind(models.TextChoices):
    TIME = "time", "time slot (appointment or resource)"
    GIG = "gig", "gig (several resources at once)"
    ADMISSION = "admission", "general admission"
    SEATING = "seating", "reserved seating"


TIME_KINDS = frozenset({BookingKind.TIME, BookingKind.GIG})
TICKET_KINDS = frozenset({BookingKind.ADMISSION, BookingKind.SEATING})


class Booking(models.Model):
    reference = models.CharField(max_length=16, unique=True, default=new_reference, editable=False)
    kind = models.CharField(max_length=16, choices=BookingKind.choices)
    status = models.CharField(
        max_length=16, choices=BookingStatus.choices, default=BookingStatus.PENDING, db_index=True
    )
    customer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="bookings"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="Who made the booking, when staff or a provider booked for the customer.",
    )
    # The span the booking covers (UTC): the allocation range, or the show's start and end.
    starts_at = models.DateTimeField(db_index=True)
    ends_at = models.DateTimeField()
    notes = models.TextField(blank=True, default="")
    price = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    currency = models.CharField(max_length=3, blank=True, default="")
    # A pending booking lapses (-> expired) when this passes without approval or payment.
    confirm_deadline = models.DateTimeField(null=True, blank=True)
    # The start time the reminder was sent for (a reschedule makes the booking due again).
    reminded_for = models.DateTimeField(null=True, blank=True, editable=False)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    cancel_reason = models.CharField(max_length=255, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-starts_at", "-id"]
        indexes = [
            models.Index(fields=["customer", "-starts_at"]),
            models.Index(fields=["status", "starts_at"]),
            models.Index(fields=["status", "ends_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="bookings_booking_span_positive",
            ),
        ]

    # Not a column: set by `lifecycle.booking_transition` to the waitlisted bookings this
    # change made room for (and promoted, in the same transaction).
    promoted_booking_ids: list[int]

    def __str__(self) -> str:
        return f"{self.reference} ({self.status})"

    @property
    def is_live(self) -> bool:
        return self.status in LIVE_STATUSES


class BookingStatusChange(models.Model):
    """One row per status change: who, when, from, to, why."""

    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, related_name="history")
    from_status = models.CharField(max_length=16, choices=BookingStatus.choices, blank=True)
    to_status = models.CharField(max_length=16, choices=BookingStatus.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reason = models.CharField(max_length=255, blank=True, default="")
    at = models.DateTimeField()

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.booking_id}: {self.from_status or '-'} -> {self.to_status}"


class TimeAllocation(models.Model):
    """A booking's claim on a resource's time: one row per resource (a gig has several).

    `occupied_from`/`occupied_to` are the booked range widened by the resource's buffers at
    booking time; that is the range that must not overlap beyond the resource's capacity.
    `is_live` follows the booking's status (a status hook keeps it in step), so a cancelled,
    declined or expired booking frees the time at once. `exclusive` is "the resource has
    capacity 1": on PostgreSQL the exclusion constraint `bookings_allocation_no_overlap` forbids
    two live exclusive rows of one resource with overlapping occupied ranges (migration 0002).
    """

    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, related_name="allocations")
    resource = models.ForeignKey(
        "scheduling.Resource", on_delete=models.PROTECT, related_name="allocations"
    )
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    occupied_from = models.DateTimeField()
    occupied_to = models.DateTimeField()
    is_live = models.BooleanField(default=True)
    exclusive = models.BooleanField()
    approved = models.BooleanField(
        default=True, help_text="The resource's owner accepted (resources that need approval)."
    )

    class Meta:
        ordering = ["booking", "resource"]
        indexes = [
            models.Index(
                fields=["resource", "occupied_to", "occupied_from"],
                condition=models.Q(is_live=True),
                name="bookings_alloc_live_idx",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["booking", "resource"], name="bookings_allocation_once_per_booking"
            ),
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at"))
                & models.Q(occupied_from__lte=models.F("starts_at"))
                & models.Q(occupied_to__gte=models.F("ends_at")),
                name="bookings_allocation_ranges_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.resource_id} {self.starts_at:%Y-%m-%d %H:%M}-{self.ends_at:%H:%M}"


class WaitlistEntry(models.Model):
    """A waitlisted booking's ticket in the line of one list.

    `list_key` names the list: `time:<resource id>:<start>:<end>` for a slot of a resource,
    `show:<show id>` for a show's places. `position` is the ticket number: given once at
    joining (the list's highest + 1, under the list's lock), never renumbered, unique per list
    in the database. The place in line shown to people is the number of entries still
    waitlisted ahead, plus one. The row stays after promotion or cancellation (its booking's
    status says what became of it). `quantity`: places wanted (1 for time).

    `offered_at`: set when the entry was promoted to `pending` as an OFFER (setting
    `WAITLIST_PROMOTE_TO = "pending"`): the customer accepts it (`accepted_at`) before the
    booking's `confirm_deadline`, or lets it lapse. An offer is open while its booking is
    pending, offered and not accepted.
    """

    booking = models.OneToOneField(
        Booking, on_delete=models.CASCADE, primary_key=True, related_name="waitlist_entry"
    )
    list_key = models.CharField(max_length=120)
    position = models.PositiveIntegerField()
    quantity = models.PositiveIntegerField(default=1)
    joined_at = models.DateTimeField()
    category = models.CharField(
        max_length=32,
        blank=True,
        default="",
        help_text="Reserved seating: only seats of this category (price tier); blank: any.",
    )
    offered_at = models.DateTimeField(null=True, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["list_key", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["list_key", "position"], name="bookings_waitlist_position_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(position__gte=1) & models.Q(quantity__gte=1),
                name="bookings_waitlist_position_quantity_positive",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.list_key} #{self.position}"
