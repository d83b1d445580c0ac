from __future__ import annotations

from ..models import Channel, Notification
from .email import email_send
from .text import text_provider


def channel_send(notification: Notification) -> str:
    """Send one notification on its channel; return the provider's reference."""
    if notification.channel == Channel.EMAIL:
        return email_send(notification)
    provider = text_provider(notification.channel)
    return provider.send(
        to=notification.recipient,
        body=notification.body,
        whatsapp=notification.channel == Channel.WHATSAPP,
    )
