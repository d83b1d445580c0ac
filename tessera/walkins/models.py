"""A walk-in queue per resource (a barber's chair, a clinic's desk): people who turn up without
a booking and wait to be served.

The order is a database fact: `position` is taken as max + 1 under the resource's row lock and
is unique per resource (`walkins_position_unique`), positions are never reused, and a user is
waiting at most once per queue (`walkins_user_waiting_once`). Entries are never deleted by the
API: leaving or being served changes `status`. When a served walk-in's service ends
(`finished_at`), a person with an account gets a `completed` booking of it (`booking`), so
their history, analytics and the average service time include walk-ins.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class WalkInStatus(models.TextChoices):
    WAITING = "waiting"
    SERVED = "served"
    LEFT = "left"


class WalkIn(models.Model):
    resource = models.ForeignKey(
        "scheduling.Resource", on_delete=models.PROTECT, related_name="walkins"
    )
    position = models.PositiveIntegerField(help_text="Order of arrival in this resource's queue.")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="walkins",
        help_text="The person, when they have an account (else name/phone).",
    )
    name = models.CharField(max_length=120, blank=True, default="")
    phone = models.CharField(max_length=32, blank=True, default="")
    status = models.CharField(
        max_length=16, choices=WalkInStatus.choices, default=WalkInStatus.WAITING
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    joined_at = models.DateTimeField()
    served_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(
        null=True, blank=True, help_text="When the service ended (served walk-ins)."
    )
    left_at = models.DateTimeField(null=True, blank=True)
    booking = models.OneToOneField(
        "bookings.Booking",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="walkin",
        help_text="The completed booking recorded when the service ended (people with an account).",
    )

    class Meta:
        ordering = ["resource", "position"]
        indexes = [models.Index(fields=["resource", "status", "position"])]
        constraints = [
            models.UniqueConstraint(
                fields=["resource", "position"], name="walkins_position_unique"
            ),
            models.UniqueConstraint(
                fields=["resource", "user"],
                condition=models.Q(status="waiting", user__isnull=False),
                name="walkins_user_waiting_once",
            ),
            models.CheckConstraint(
                condition=models.Q(user__isnull=False) | ~models.Q(name=""),
                name="walkins_someone",
            ),
            models.CheckConstraint(
                condition=models.Q(position__gte=1), name="walkins_position_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.position} {self.display_name} ({self.status})"

    @property
    def display_name(self) -> str:
        if self.name:
            return self.name
        return self.user.get_username() if self.user else ""
