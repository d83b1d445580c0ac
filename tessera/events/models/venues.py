"""Where shows happen: venues, their halls (or screens) and the seats of a hall."""

from __future__ import annotations

from django.conf import settings
from django.db import models

DEFAULT_CATEGORY = "standard"


class Venue(models.Model):
    """A place with an address and a capacity, owned by an organizer.

    `facilities` is free text ("WiFi, Projector"), as the earlier event platform had it.
    `timezone` (IANA) is the zone a show's local date and time are given in.
    """

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="venues"
    )
    name = models.CharField(max_length=200)
    location = models.CharField(max_length=255, blank=True, default="")
    capacity = models.PositiveIntegerField()
    facilities = models.CharField(max_length=1000, blank=True, default="")
    timezone = models.CharField(max_length=64, default="UTC")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(capacity__gte=1), name="events_venue_capacity_positive"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Hall(models.Model):
    """A hall, screen or room of a venue. Reserved-seating shows sell its seats."""

    venue = models.ForeignKey(Venue, on_delete=models.PROTECT, related_name="halls")
    name = models.CharField(max_length=100)
    # Bumped by every change of its seats: seat maps cached per process key on it.
    layout_version = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["venue_id", "name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["venue", "name"],
                name="events_hall_name_unique_in_venue",
                violation_error_message="This venue already has a hall with that name.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.venue.name} / {self.name}"


class Seat(models.Model):
    """One seat: row and number (unique in its hall), a price category and two flags.

    `row_position` keeps the rows in the order of the layout ("A" before "B", "AA" after "Z").
    A `blocked` seat is not for sale (a broken seat, the technician's seat).
    """

    hall = models.ForeignKey(Hall, on_delete=models.CASCADE, related_name="seats")
    row = models.CharField(max_length=8)
    number = models.PositiveIntegerField()
    row_position = models.PositiveIntegerField(default=0)
    category = models.CharField(max_length=32, default=DEFAULT_CATEGORY)
    accessible = models.BooleanField(default=False)
    blocked = models.BooleanField(default=False)

    class Meta:
        ordering = ["hall_id", "row_position", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["hall", "row", "number"],
                name="events_seat_unique_in_hall",
                violation_error_message="This hall already has a seat with that row and number.",
            ),
        ]
        indexes = [models.Index(fields=["hall", "row_position", "number"])]

    def __str__(self) -> str:
        return f"{self.row}{self.number}"

    @property
    def label(self) -> str:
        return f"{self.row}{self.number}"
