"""The coded errors of walk-in queues (see docs/api-errors.md)."""

from tessera.core.errors import Conflict, ValidationFailed


class WalkInIdentityRequired(ValidationFailed):
    default_code = "walkin_identity_required"
    default_message = "Give the walk-in's name (or join as yourself)."


class AlreadyInQueue(Conflict):
    default_code = "walkin_already_in_queue"
    default_message = "This person is already waiting in this queue."


class NotWaiting(Conflict):
    default_code = "walkin_not_waiting"
    default_message = "This walk-in is no longer waiting."


class QueueEmpty(Conflict):
    default_code = "walkin_queue_empty"
    default_message = "Nobody is waiting."


class QueueClosed(Conflict):
    default_code = "walkin_queue_closed"
    default_message = "This resource takes no walk-ins (it is not active)."
