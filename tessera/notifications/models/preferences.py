"""A person's notification channels, language and opt-out."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class NotificationPreference(models.Model):
    """Absent row = the defaults: email on, text messages off, the site's language."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notification_preference",
    )
    email_enabled = models.BooleanField(default=True)
    sms_enabled = models.BooleanField(default=False)
    whatsapp_enabled = models.BooleanField(default=False)
    phone_number = models.CharField(
        max_length=16, blank=True, default="", help_text="E.164, e.g. +34600111222."
    )
    language = models.CharField(
        max_length=8, blank=True, default="", help_text="Empty: the site's language."
    )
    opted_out = models.BooleanField(
        default=False, help_text="Stop every notification, whatever the channels say."
    )
    muted_events = models.JSONField(
        default=list, blank=True, help_text="Event types not to be told about."
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(sms_enabled=False, whatsapp_enabled=False)
                | ~models.Q(phone_number=""),
                name="notif_pref_text_needs_phone",
                violation_error_message="SMS and WhatsApp need a phone number.",
            ),
        ]

    def __str__(self) -> str:
        return f"preferences of {self.user_id}"
