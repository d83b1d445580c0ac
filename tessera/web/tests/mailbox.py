"""Deliver what the outbox holds and read links out of the emails (Django's locmem outbox)."""

from __future__ import annotations

import re
from typing import Any

from django.core import mail

from tessera.notifications.models import OutboxMessage, OutboxStatus
from tessera.notifications.services import outbox_deliver
from tessera.notifications.services.deliveries import notifications_send_due

LINK = re.compile(r"https?://\S+")


def deliver_outbox() -> None:
    """What a Celery worker does after a change: fan the pending events out and send them."""
    for event_id in OutboxMessage.objects.filter(status=OutboxStatus.PENDING).values_list(
        "event_id", flat=True
    ):
        outbox_deliver(event_id=event_id)
    notifications_send_due()


def emails_to(address: str) -> list[Any]:
    return [m for m in mail.outbox if address in m.to]


def link(message: Any, path_part: str) -> str:
    """The path (without the site) of the first link in `message` that contains `path_part`."""
    for url in LINK.findall(message.body):
        if path_part in url:
            return "/" + url.split("://", 1)[1].split("/", 1)[1]
    raise AssertionError(f"no {path_part} link in:\n{message.body}")
