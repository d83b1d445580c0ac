"""Coded domain errors.

A domain error carries a stable machine-readable `code`, an HTTP status, a human message and
optional data fields. Services raise them; one handler (`tessera.api.exceptions`) renders them
all as RFC 9457 problem documents. Services never import DRF, so these are plain exceptions.
"""

from __future__ import annotations

from typing import Any, ClassVar


class DomainError(Exception):
    """Base of every error a service raises on purpose."""

    status: ClassVar[int] = 400
    default_code: ClassVar[str] = "invalid"
    default_message: ClassVar[str] = "The request could not be processed."
    title: ClassVar[str] = "Bad request"

    def __init__(
        self,
        message: str | None = None,
        *,
        code: str | None = None,
        retry_after: int | None = None,
        field: str | None = None,
        **data: Any,
    ) -> None:
        self.message = message or self.default_message
        self.code = code or self.default_code
        self.retry_after = retry_after
        self.field = field
        self.data = data
        super().__init__(self.message)

    def __repr__(self) -> str:
        return f"{type(self).__name__}(code={self.code!r}, message={self.message!r})"


class ValidationFailed(DomainError):
    status = 400
    default_code = "invalid"
    title = "Invalid input"


class NotFound(DomainError):
    status = 404
    default_code = "not_found"
    default_message = "Not found."
    title = "Not found"


class PermissionDenied(DomainError):
    status = 403
    default_code = "permission_denied"
    default_message = "You do not have permission to perform this action."
    title = "Forbidden"


class Conflict(DomainError):
    """The request is valid but clashes with the current state (a taken slot, a lifecycle rule)."""

    status = 409
    default_code = "conflict"
    default_message = "The request conflicts with the current state."
    title = "Conflict"


class LockTimeout(Conflict):
    """A row lock could not be had in time: retry shortly."""

    default_code = "lock_timeout"
    default_message = "The resource is busy; retry in a moment."

    def __init__(self, message: str | None = None, **kwargs: Any) -> None:
        kwargs.setdefault("retry_after", 1)
        super().__init__(message, **kwargs)


class DatabaseUnavailable(DomainError):
    """The database connection was lost or could not be made. The transaction was rolled back
    with the connection (nothing of the request was written): retry shortly."""

    status = 503
    default_code = "database_unavailable"
    default_message = "The database is unavailable right now; nothing was saved. Retry shortly."
    title = "Service Unavailable"

    def __init__(self, message: str | None = None, **kwargs: Any) -> None:
        kwargs.setdefault("retry_after", 5)
        super().__init__(message, **kwargs)
