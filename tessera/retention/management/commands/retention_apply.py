"""`manage.py retention_apply`: apply the data-retention policy now, showing progress.

Options override the configured policy for this run; `--dry-run` only counts.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from tessera.core.clock import utcnow
from tessera.retention.policy import ACTIONS, RetentionPolicy, retention_policy
from tessera.retention.services.apply import retention_apply, retention_eligible


class Command(BaseCommand):
    help = "Archive, anonymise or delete old finished bookings per DATA_RETENTION_POLICY."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--action", choices=ACTIONS, help="Override the policy's action.")
        parser.add_argument("--after-days", type=int, help="Override the policy's age.")
        parser.add_argument("--batch-size", type=int, help="Bookings per transaction.")
        parser.add_argument("--dry-run", action="store_true", help="Only count what is due.")

    def handle(self, *args: Any, **options: Any) -> None:
        base = retention_policy()
        policy = RetentionPolicy(
            after_days=options["after_days"] or base.after_days,
            action=options["action"] or base.action,
            batch_size=options["batch_size"] or base.batch_size,
        )
        now = utcnow()
        due = 0 if policy.action == "none" else retention_eligible(policy=policy, now=now).count()
        self.stdout.write(
            f"Policy: {policy.action} finished bookings that ended more than "
            f"{policy.after_days} days ago; {due} due."
        )
        if options["dry_run"] or due == 0:
            return

        def progress(done: int) -> None:
            self.stdout.write(f"  {done}/{due} ({100 * done // max(due, 1)}%)")

        result = retention_apply(policy=policy, now=now, progress=progress)
        self.stdout.write(
            self.style.SUCCESS(f"Done: {result.processed} bookings {_past(result.action)}.")
        )


def _past(action: str) -> str:
    return {"archive": "archived", "anonymise": "anonymised", "delete": "deleted"}[action]
