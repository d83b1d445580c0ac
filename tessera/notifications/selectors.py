"""Reads of the notifications app."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.db.models import QuerySet

from tessera.accounts.access import is_staff
from tessera.core.errors import NotFound, PermissionDenied

from .models import (
    Notification,
    NotificationPreference,
    OutboxMessage,
    WebhookDelivery,
    WebhookSubscription,
)


def _uuid(raw: Any, what: str) -> UUID:
    try:
        return UUID(str(raw))
    except ValueError:
        raise NotFound(f"No such {what}.") from None


def _ensure_staff(actor: Any) -> None:
    if not is_staff(actor):
        raise PermissionDenied("Only staff may see this.")


def preference_get(*, user: Any) -> NotificationPreference:
    """The person's preferences; the defaults (unsaved) when they never set any."""
    pref = NotificationPreference.objects.filter(user=user).first()
    return pref or NotificationPreference(user=user)


def notification_list(*, actor: Any) -> QuerySet[Notification]:
    """What the person was sent (staff: everyone's)."""
    qs = Notification.objects.all().order_by("-id")
    return qs if is_staff(actor) else qs.filter(user=actor)


def webhook_subscription_list(*, actor: Any) -> QuerySet[WebhookSubscription]:
    _ensure_staff(actor)
    return WebhookSubscription.objects.order_by("id")


def webhook_subscription_get(*, subscription_id: Any, actor: Any) -> WebhookSubscription:
    _ensure_staff(actor)
    try:
        pk = int(subscription_id)
    except (TypeError, ValueError):
        raise NotFound("No such webhook subscription.") from None
    subscription = WebhookSubscription.objects.filter(pk=pk).first() if pk < 2**63 else None
    if subscription is None:
        raise NotFound("No such webhook subscription.")
    return subscription


def webhook_delivery_list(*, actor: Any) -> QuerySet[WebhookDelivery]:
    _ensure_staff(actor)
    return (
        WebhookDelivery.objects.select_related("subscription", "replay_of")
        .prefetch_related("log")
        .order_by("-id")
    )


def webhook_delivery_get(*, delivery_uid: Any, actor: Any) -> WebhookDelivery:
    _ensure_staff(actor)
    delivery = (
        webhook_delivery_list(actor=actor).filter(uid=_uuid(delivery_uid, "delivery")).first()
    )
    if delivery is None:
        raise NotFound("No such webhook delivery.")
    return delivery


def outbox_message_list(*, actor: Any) -> QuerySet[OutboxMessage]:
    _ensure_staff(actor)
    return OutboxMessage.objects.order_by("-id")


def outbox_message_get(*, event_id: Any, actor: Any) -> OutboxMessage:
    _ensure_staff(actor)
    message = OutboxMessage.objects.filter(event_id=_uuid(event_id, "message")).first()
    if message is None:
        raise NotFound("No such outbox message.")
    return message
