"""Delete the stored results of Idempotency-Key requests older than their time to live."""

from typing import Any

from django.core.management.base import BaseCommand

from tessera.core.idempotency import idempotency_purge


class Command(BaseCommand):
    help = "Delete expired Idempotency-Key records."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"purged {idempotency_purge()} record(s)")
