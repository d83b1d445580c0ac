"""`manage.py restore FILE`: load a backup made by `manage.py backup`."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tessera.core.backup import BackupError, database_restore


class Command(BaseCommand):
    help = (
        "Restore a backup made by `manage.py backup` into a new database (--target), or into "
        "the configured one with the service stopped. A database with tables is refused unless "
        "--force."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="The backup file.")
        parser.add_argument(
            "--target",
            default=None,
            help="SQLite: a file path. PostgreSQL: a database name on the same server, or a "
            "postgres:// URL (the database must exist). Default: the configured database.",
        )
        parser.add_argument(
            "--force", action="store_true", help="Replace what the target database holds."
        )
        parser.add_argument("--database", default="default", help="Database alias.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            where = database_restore(
                source=options["file"],
                target=options["target"],
                force=options["force"],
                alias=options["database"],
            )
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"restored {options['file']} into {where}")
