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


class NotServed(Conflict):
    default_code = "walkin_not_served"
    default_message = "Only a walk-in being served can be finished."


class AlreadyFinished(Conflict):
    default_code = "walkin_already_finished"
    default_message = "This walk-in's service has already been finished."


class FinishTooSoon(Conflict):
    default_code = "walkin_finish_too_soon"
    default_message = "The service has only just started: finish it once it has taken time."
