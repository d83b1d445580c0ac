"""Booking error codes (rendered by the API as problem documents)."""

from tessera.core.errors import Conflict


class IllegalTransition(Conflict):
    default_code = "illegal_transition"
    default_message = "This booking cannot make that status change."
