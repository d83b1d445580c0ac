"""`manage.py purge_expired_holds`: the periodic clean-up of lapsed holds (idempotent).

Expiry never waits for it (every query checks `expires_at`); it frees the rows of expired
seat claims and deletes holds that ended more than `--keep-hours` ago. Run it from cron or a
scheduler every few minutes.
"""

from datetime import timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from tessera.events.services.holds import hold_purge_expired


class Command(BaseCommand):
    help = "Free the seat claims of expired holds and delete old holds."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--keep-hours", type=int, default=24)

    def handle(self, *args: Any, **options: Any) -> None:
        result = hold_purge_expired(keep=timedelta(hours=options["keep_hours"]))
        self.stdout.write(
            f"freed {result.claims_freed} seat claim(s), deleted {result.holds_deleted} hold(s)"
        )
