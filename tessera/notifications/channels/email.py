"""Email through Django's configured backend (file in the embedded default, SMTP in production)."""

from __future__ import annotations

import smtplib

from django.conf import settings
from django.core.mail import EmailMessage

from ..idempotency import email_message_id
from ..models import Notification
from .base import SendFailed


def email_send(notification: Notification) -> str:
    message_id = email_message_id(event_id=notification.event_id, recipient=notification.recipient)
    message = EmailMessage(
        subject=notification.subject,
        body=notification.body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[notification.recipient],
        headers={"Message-ID": message_id, "X-Tessera-Event-Id": str(notification.event_id)},
    )
    if notification.ics:
        method = "CANCEL" if "METHOD:CANCEL" in notification.ics else "REQUEST"
        message.attach(
            "booking.ics", notification.ics, f"text/calendar; method={method}; charset=utf-8"
        )
    try:
        sent = message.send()
    except smtplib.SMTPRecipientsRefused as exc:
        raise SendFailed(f"address refused: {exc}", permanent=True) from exc
    except (smtplib.SMTPException, OSError) as exc:
        raise SendFailed(f"mail server: {exc}") from exc
    if not sent:
        raise SendFailed("the mail backend sent nothing")
    return message_id
