"""Demo notification preferences: alice also gets text messages (written to the log by the
console provider of the embedded default), so a booking of hers shows every channel."""

from typing import TextIO

from django.contrib.auth import get_user_model

from .models import NotificationPreference


def load(out: TextIO) -> None:
    alice = get_user_model().objects.filter(username="alice").first()
    if alice is None:
        return
    NotificationPreference.objects.get_or_create(
        user=alice,
        defaults={"sms_enabled": True, "phone_number": "+34600000001", "language": "en"},
    )
    out.write("  notifications: alice gets email (DATA_DIR/mail) and SMS (the worker's log)\n")
