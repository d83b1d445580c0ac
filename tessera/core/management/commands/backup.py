"""`manage.py backup FILE`: a consistent copy of the database while the service keeps writing."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tessera.core.backup import BackupError, database_backup


class Command(BaseCommand):
    help = (
        "Back up the database to FILE while the service runs: SQLite through its online "
        "backup API, PostgreSQL through pg_dump (custom format)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="Where to write the backup.")
        parser.add_argument("--database", default="default", help="Database alias.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = database_backup(target=options["file"], alias=options["database"])
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"backed up {result.vendor} to {result.path} ({result.size_bytes:,} bytes)"
        )
