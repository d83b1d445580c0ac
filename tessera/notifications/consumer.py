"""The consumer side: one event in, the right notifications and webhook deliveries out.

`event_fan_out(event, event_id=...)` takes the plain event dict (a booking event as documented
in `docs/notifications.md`, with its `type`) and writes, in the caller's transaction:

- one `Notification` per recipient and enabled channel, rendered in the recipient's language
  (recipients: `customer_id` and `notify_user_ids`, the customer only for `booking.started`
  and `booking.completed`; opted-out people and muted event types are skipped), with an `.ics` file on confirmations, changes and cancellations;
- one `WebhookDelivery` per active subscription that wants the event type.

It sends nothing: the rows are due at once and `deliveries_send_due` sends them. Rows are
unique per event, so running it twice for one event adds nothing the second time.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.module_loading import import_string

from tessera.core.clock import utcnow

from .events import event_spec
from .ics import booking_ics
from .models import (
    Channel,
    Notification,
    NotificationPreference,
    WebhookDelivery,
    WebhookSubscription,
)
from .rendering import language_for, render_email, render_short, template_context


@dataclass(frozen=True)
class FanOut:
    notifications: int
    webhooks: int

    @property
    def total(self) -> int:
        return self.notifications + self.webhooks


def event_fan_out(
    event: Mapping[str, Any],
    *,
    event_id: UUID,
    occurred_at: datetime | None = None,
    now: datetime | None = None,
) -> FanOut:
    """Fan one event out to notifications and webhooks (see the module docstring)."""
    now = now or utcnow()
    data = {key: value for key, value in event.items() if key != "type"}
    event_type = str(event["type"])
    spec = event_spec(event_type)
    notifications = 0
    if spec is not None and spec.notify:
        notifications = _notify(
            event_type,
            data,
            event_id=event_id,
            ics_method=spec.ics,
            customer_only=spec.customer_only,
            now=now,
        )
    webhooks = _webhooks(
        event_type, data, event_id=event_id, occurred_at=occurred_at or now, now=now
    )
    return FanOut(notifications, webhooks)


def _recipient_ids(data: Mapping[str, Any], *, customer_only: bool = False) -> list[int]:
    ids = [data.get("customer_id")]
    if not customer_only:
        ids += data.get("notify_user_ids", [])
    seen: list[int] = []
    for value in ids:
        if isinstance(value, int) and value not in seen:
            seen.append(value)
    return seen


def _links(event_type: str, data: dict[str, Any], recipient_id: int) -> dict[str, Any]:
    """Template variables the configured `NOTIFICATIONS["LINKS"]` adds for this recipient
    (links that act on the booking); this app imports nothing of the others itself."""
    path = settings.NOTIFICATIONS.get("LINKS") or ""
    if not path:
        return {}
    links = import_string(path)
    return dict(links(event_type=event_type, event=data, recipient_id=recipient_id))


def _notify(
    event_type: str,
    data: dict[str, Any],
    *,
    event_id: UUID,
    ics_method: str | None,
    customer_only: bool,
    now: datetime,
) -> int:
    recipients = _recipient_ids(data, customer_only=customer_only)
    users = get_user_model().objects.filter(pk__in=recipients, is_active=True)
    prefs = {p.user_id: p for p in NotificationPreference.objects.filter(user__in=list(users))}
    rows: list[Notification] = []
    for user in users:
        pref = prefs.get(user.pk) or NotificationPreference(user=user)
        if pref.opted_out or event_type in (pref.muted_events or []):
            continue
        language = language_for(pref.language)
        context = template_context(data, recipient_name=user.get_short_name() or user.username)
        context.update(_links(event_type, data, user.pk))
        common = {
            "event_id": event_id,
            "event_type": event_type,
            "user": user,
            "language": language,
            "available_at": now,
            "created_at": now,
        }
        if pref.email_enabled and user.email:
            email = render_email(event_type, language, context)
            ics = ""
            if ics_method:
                ics = booking_ics(
                    event=data,
                    method=ics_method,
                    domain=settings.NOTIFICATIONS["ICS_DOMAIN"],
                    organizer_email=_address(settings.DEFAULT_FROM_EMAIL),
                    stamp=now,
                )
            rows.append(
                Notification(
                    channel=Channel.EMAIL,
                    recipient=user.email,
                    subject=email.subject,
                    body=email.body,
                    ics=ics,
                    **common,
                )
            )
        for channel, enabled in (
            (Channel.SMS, pref.sms_enabled),
            (Channel.WHATSAPP, pref.whatsapp_enabled),
        ):
            if enabled and pref.phone_number:
                text = render_short(event_type, language, context)
                rows.append(
                    Notification(channel=channel, recipient=pref.phone_number, body=text, **common)
                )
    created = Notification.objects.bulk_create(rows, ignore_conflicts=True)
    return len(created)


def _address(from_email: str) -> str:
    return from_email.rsplit("<", 1)[-1].rstrip(">").strip()


def webhook_body(
    *, event_id: UUID, event_type: str, occurred_at: datetime, data: Mapping[str, Any]
) -> str:
    """The JSON every subscriber receives: `{"id", "type", "occurred_at", "data"}`."""
    return json.dumps(
        {
            "id": str(event_id),
            "type": event_type,
            "occurred_at": occurred_at.isoformat(),
            "data": dict(data),
        },
        cls=DjangoJSONEncoder,
        separators=(",", ":"),
        sort_keys=True,
    )


def _webhooks(
    event_type: str,
    data: dict[str, Any],
    *,
    event_id: UUID,
    occurred_at: datetime,
    now: datetime,
) -> int:
    subscriptions = [
        s for s in WebhookSubscription.objects.filter(is_active=True) if s.wants(event_type)
    ]
    if not subscriptions:
        return 0
    body = webhook_body(
        event_id=event_id, event_type=event_type, occurred_at=occurred_at, data=data
    )
    rows = [
        WebhookDelivery(
            subscription=subscription,
            event_id=event_id,
            event_type=event_type,
            body=body,
            available_at=now,
            created_at=now,
        )
        for subscription in subscriptions
    ]
    return len(WebhookDelivery.objects.bulk_create(rows, ignore_conflicts=True))
