"""Webhook subscriptions (staff) and the replay of a delivery."""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from django.db import transaction

from tessera.accounts.access import is_staff
from tessera.core.clock import utcnow
from tessera.core.errors import PermissionDenied, ValidationFailed

from .. import broker
from ..errors import DeliveryPending
from ..events import EVENT_TYPE_RE
from ..models import DeliveryStatus, WebhookDelivery, WebhookSubscription

_EDITABLE = ("name", "url", "event_types", "is_active", "secret")


def _ensure_staff(actor: Any) -> None:
    if not is_staff(actor):
        raise PermissionDenied("Only staff manage webhooks.")


def event_patterns_clean(patterns: Sequence[str]) -> list[str]:
    """`*`, `booking.*` or an exact event type; at least one, no duplicates."""
    clean: list[str] = []
    for index, pattern in enumerate(patterns):
        ok = pattern == "*" or EVENT_TYPE_RE.match(
            pattern[:-2] + ".x" if pattern.endswith(".*") else pattern
        )
        if not ok:
            raise ValidationFailed(
                f"{pattern!r} is not an event type, a prefix like `booking.*`, or `*`.",
                code="invalid_event_type",
                field=f"event_types.{index}",
            )
        if pattern not in clean:
            clean.append(pattern)
    if not clean:
        raise ValidationFailed(
            "Name at least one event type (or `*`).", code="required", field="event_types"
        )
    return clean


def webhook_secret_new() -> str:
    return "whsec_" + secrets.token_urlsafe(32)


def webhook_subscription_create(
    *,
    actor: Any,
    name: str,
    url: str,
    event_types: Sequence[str],
    secret: str = "",
    is_active: bool = True,
) -> WebhookSubscription:
    """A new subscription; without a `secret`, a random one (shown to the caller once)."""
    _ensure_staff(actor)
    return WebhookSubscription.objects.create(
        name=name,
        url=url,
        event_types=event_patterns_clean(event_types),
        secret=secret or webhook_secret_new(),
        is_active=is_active,
        created_by=actor,
    )


def webhook_subscription_update(
    *, subscription: WebhookSubscription, actor: Any, **changes: Any
) -> WebhookSubscription:
    _ensure_staff(actor)
    unknown = set(changes) - set(_EDITABLE)
    if unknown:
        raise ValidationFailed(f"Cannot change {', '.join(sorted(unknown))}.")
    if "event_types" in changes:
        changes["event_types"] = event_patterns_clean(changes["event_types"])
    for name, value in changes.items():
        setattr(subscription, name, value)
    subscription.save(update_fields=[*changes, "updated_at"])
    return subscription


def webhook_subscription_delete(*, subscription: WebhookSubscription, actor: Any) -> None:
    """Removes the subscription and its delivery log (disable it instead to keep the log)."""
    _ensure_staff(actor)
    subscription.delete()


def webhook_delivery_replay(
    *, delivery: WebhookDelivery, actor: Any, now: datetime | None = None
) -> WebhookDelivery:
    """Send a finished delivery again: a new delivery with the same body and event id, due now.

    The receiver sees the same `Tessera-Event-Id` (so it can tell a replay from a new event)
    and a fresh timestamp and signature.
    """
    _ensure_staff(actor)
    now = now or utcnow()
    if delivery.status == DeliveryStatus.PENDING:
        raise DeliveryPending(delivery_id=str(delivery.uid))
    with transaction.atomic():
        replay = WebhookDelivery.objects.create(
            subscription=delivery.subscription,
            event_id=delivery.event_id,
            event_type=delivery.event_type,
            body=delivery.body,
            replay_of=delivery,
            available_at=now,
            created_at=now,
        )
        transaction.on_commit(lambda: broker.kick(broker.SEND_TASK))
    return replay
