"""Which rows of an earlier system's export became which booking: the import's memory."""

from __future__ import annotations

from django.db import models


class ImportedBooking(models.Model):
    """Unique per (source, external id): importing a file twice creates nothing the second
    time. Written in the same transaction as the booking it records."""

    source = models.CharField(max_length=64, help_text="The earlier system (--source).")
    external_id = models.CharField(max_length=128, help_text="The row's id in that system.")
    booking = models.ForeignKey(
        "bookings.Booking",
        on_delete=models.SET_NULL,
        related_name="+",
        null=True,
        help_text="Empty once retention deleted the booking: the row is still not imported again.",
    )
    imported_at = models.DateTimeField()

    class Meta:
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(fields=["source", "external_id"], name="imports_row_once"),
        ]

    def __str__(self) -> str:
        return f"{self.source}:{self.external_id} -> booking {self.booking_id}"
