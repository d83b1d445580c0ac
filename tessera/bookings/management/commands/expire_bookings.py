"""Expire pending bookings whose confirmation deadline has passed (run it periodically).

Idempotent: a second run finds nothing to do. The worker of a later issue calls the same
service (`booking_expire_overdue`) on a schedule.
"""

from typing import Any

from django.core.management.base import BaseCommand

from tessera.bookings.services.status import booking_expire_overdue


class Command(BaseCommand):
    help = "Expire pending bookings whose confirmation deadline has passed."

    def handle(self, *args: Any, **options: Any) -> None:
        done = booking_expire_overdue()
        self.stdout.write(f"expired {done} booking(s)")
