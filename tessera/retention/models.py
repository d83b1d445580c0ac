"""The archive of bookings moved out of the live tables by the retention job.

An archived booking is one row here: the columns analytics or an audit ask for first, and the
whole booking as it was (header, notes, what it held, its history) in `snapshot`. The customer is
kept as an id, not a foreign key: erasing the person later scrubs the snapshot too.
"""

from __future__ import annotations

from django.db import models


class ArchivedBooking(models.Model):
    booking_id = models.BigIntegerField(unique=True, help_text="Its id in the live tables.")
    reference = models.CharField(max_length=16, unique=True)
    kind = models.CharField(max_length=16)
    status = models.CharField(max_length=16)
    customer_id = models.BigIntegerField(null=True, db_index=True)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    created_at = models.DateTimeField()
    archived_at = models.DateTimeField()
    snapshot = models.JSONField()

    class Meta:
        ordering = ["-starts_at", "-id"]

    def __str__(self) -> str:
        return f"{self.reference} (archived {self.archived_at:%Y-%m-%d})"
