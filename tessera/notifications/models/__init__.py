from .base import DeliveryStatus, QueuedRow
from .notifications import Channel, Notification
from .outbox import RELAY_STATUSES, OutboxMessage, OutboxStatus
from .preferences import NotificationPreference
from .sends import SendRecord, SendState
from .webhooks import WebhookAttempt, WebhookDelivery, WebhookSubscription

__all__ = [
    "RELAY_STATUSES",
    "Channel",
    "DeliveryStatus",
    "Notification",
    "NotificationPreference",
    "OutboxMessage",
    "OutboxStatus",
    "QueuedRow",
    "SendRecord",
    "SendState",
    "WebhookAttempt",
    "WebhookDelivery",
    "WebhookSubscription",
]
