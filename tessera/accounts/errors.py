"""The coded errors of accounts and tokens (see docs/api-errors.md)."""

from tessera.core.errors import Conflict, DomainError, PermissionDenied


class TokenRejected(DomainError):
    """A token that is well signed but must not be honoured (revoked, reused, malformed user).

    The API renders it as a 401 with `WWW-Authenticate`, as any other authentication failure.
    """

    status = 401
    default_code = "token_not_valid"
    default_message = "The token is not valid."
    title = "Unauthorized"


class ProtectedAccount(PermissionDenied):
    """Who may erase or demote whom (docs/api-errors.md, "accounts")."""

    default_code = "protected_account"


class LastSuperuser(Conflict):
    default_code = "last_superuser"
    default_message = "This is the last active superuser; make another one first."
