from __future__ import annotations


class SendFailed(Exception):
    """A send that did not go through. `permanent`: retrying cannot help (a refused address,
    a provider's 4xx); otherwise the row is tried again after a backoff."""

    def __init__(self, message: str, *, permanent: bool = False) -> None:
        super().__init__(message)
        self.permanent = permanent
