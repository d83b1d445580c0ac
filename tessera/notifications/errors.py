"""Notification error codes (rendered by the API as problem documents)."""

from tessera.core.errors import Conflict, ValidationFailed


class InvalidEvent(ValidationFailed):
    """A service published an event that breaks the documented shape (a caller's bug)."""

    default_code = "invalid_event"
    default_message = "The event does not have the documented shape."


class PhoneRequired(ValidationFailed):
    default_code = "phone_required"
    default_message = "SMS and WhatsApp need a phone number."


class OutboxNotDead(Conflict):
    default_code = "outbox_not_dead"
    default_message = "Only a dead message can be retried; this one is still being delivered."


class DeliveryPending(Conflict):
    default_code = "delivery_pending"
    default_message = "This delivery is still being attempted; replay it once it has finished."


class WebhookSignatureInvalid(ValidationFailed):
    """Raised by `webhook_signature_verify` (receivers use it; so do our tests)."""

    default_code = "webhook_signature_invalid"
    default_message = "The webhook signature does not match its body and timestamp."


class WebhookSignatureExpired(WebhookSignatureInvalid):
    default_code = "webhook_signature_expired"
    default_message = "The webhook timestamp is too old (or too far in the future)."
