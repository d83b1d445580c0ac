"""What other apps call (they import nothing else from `notifications`).

- `booking_event_publish(event=...)` / `outbox_publish(...)`: write a domain event in the
  caller's transaction; `booking_events_publish(events=[...])`: many, in one insert;
  `walkin_event_publish(event=...)`: a walk-in queue's event.
- `event_fan_out(event, event_id=...)`: the consumer (runs in the worker).
- `pipeline_purge()`: finished pipeline rows past `NOTIFY_KEEP_DAYS` go (daily, by beat);
  `events_forget_customer(...)`: the erasure of a person reaches the events about them.
"""

from ..consumer import FanOut, event_fan_out
from .deliveries import (
    SendResult,
    deliveries_send_due,
    notifications_send_due,
    webhooks_send_due,
)
from .outbox import (
    RelayResult,
    booking_event_publish,
    booking_events_publish,
    outbox_deliver,
    outbox_message_retry,
    outbox_publish,
    outbox_relay,
    walkin_event_publish,
)
from .preferences import preference_update
from .retention import PurgeResult, events_forget_customer, pipeline_purge
from .webhooks import (
    webhook_delivery_replay,
    webhook_subscription_create,
    webhook_subscription_delete,
    webhook_subscription_update,
)

__all__ = [
    "FanOut",
    "PurgeResult",
    "RelayResult",
    "SendResult",
    "booking_event_publish",
    "booking_events_publish",
    "deliveries_send_due",
    "event_fan_out",
    "events_forget_customer",
    "notifications_send_due",
    "outbox_deliver",
    "outbox_message_retry",
    "outbox_publish",
    "outbox_relay",
    "pipeline_purge",
    "preference_update",
    "walkin_event_publish",
    "webhook_delivery_replay",
    "webhook_subscription_create",
    "webhook_subscription_delete",
    "webhook_subscription_update",
    "webhooks_send_due",
]
