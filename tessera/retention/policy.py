"""`settings.DATA_RETENTION_POLICY`, read and checked in one place."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, cast

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

Action = Literal["archive", "anonymise", "delete", "none"]
ACTIONS: tuple[Action, ...] = ("archive", "anonymise", "delete", "none")


@dataclass(frozen=True)
class RetentionPolicy:
    after_days: int
    action: Action
    batch_size: int = 500

    def __post_init__(self) -> None:
        if self.action not in ACTIONS:
            raise ImproperlyConfigured(
                f"DATA_RETENTION_POLICY ACTION must be one of {', '.join(ACTIONS)}, "
                f"not {self.action!r}."
            )
        if self.after_days < 1 or not 1 <= self.batch_size <= 10_000:
            raise ImproperlyConfigured(
                "DATA_RETENTION_POLICY needs AFTER_DAYS >= 1 and 1 <= BATCH_SIZE <= 10000."
            )


def retention_policy() -> RetentionPolicy:
    """The configured policy; `ImproperlyConfigured` when it makes no sense."""
    raw = settings.DATA_RETENTION_POLICY
    return RetentionPolicy(
        after_days=int(raw["AFTER_DAYS"]),
        action=cast(Action, str(raw["ACTION"]).lower()),
        batch_size=int(raw.get("BATCH_SIZE", 500)),
    )
