"""`manage.py import_bookings FILE --source NAME`: bring an earlier system's bookings in.

The file is CSV (a header line) or JSON (a list of objects); its shape is in docs/migrating.md.
Every row goes through the booking services, so a row that would break an invariant is refused
and reported, never written. Running it again imports only the rows not imported before. Exit
status 1 when a row was refused (after importing all the others), 2 for an unreadable file.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from tessera.imports.rows import RowRefused, row_parse, rows_read
from tessera.imports.services import ImportReport, Refusal, bookings_import


class Command(BaseCommand):
    help = "Import bookings of an earlier system from a CSV or JSON file (idempotent)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--source",
            required=True,
            help="Name of the earlier system (e.g. alacademy); with the row's external_id, "
            "what makes a second run skip a row.",
        )
        parser.add_argument("--format", choices=["csv", "json"], help="Default: the extension.")
        parser.add_argument(
            "--as",
            dest="actor",
            help="Staff username the bookings are made by (default: the first active superuser).",
        )
        parser.add_argument("--dry-run", action="store_true", help="Check every row, write none.")
        parser.add_argument("--every", type=int, default=100, help="Progress every N rows.")
        parser.add_argument("--report", type=Path, help="Write the refused rows here (JSON).")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            raw_rows = rows_read(options["file"], fmt=options["format"])
        except (OSError, ValueError) as exc:
            self.stderr.write(f"Cannot read {options['file']}: {exc}")
            sys.exit(2)
        actor = self._actor(options["actor"])
        total = len(raw_rows)
        mode = " (dry run: nothing is written)" if options["dry_run"] else ""
        self.stdout.write(f"Importing {total} rows from {options['source']}{mode}.")

        def parsed() -> Any:
            for number, raw in enumerate(raw_rows, start=1):
                try:
                    yield row_parse(raw, number=number)
                except RowRefused as exc:
                    yield Refusal(
                        number,
                        str(raw.get("external_id", raw.get("id", ""))),
                        exc.code,
                        exc.message,
                    )

        def progress(report: ImportReport) -> None:
            self.stdout.write(
                f"  {report.seen}/{total} ({100 * report.seen // max(total, 1)}%): "
                f"{report.created} imported, {report.skipped} already there, "
                f"{len(report.refused)} refused"
            )

        report = bookings_import(
            rows=parsed(),
            source=options["source"],
            actor=actor,
            dry_run=options["dry_run"],
            progress=progress,
            every=max(options["every"], 1),
        )
        for refusal in report.refused:
            self.stderr.write(
                f"row {refusal.number} (external_id {refusal.external_id or '?'}): "
                f"{refusal.code}: {refusal.message}"
            )
        if options["report"]:
            options["report"].write_text(
                json.dumps([vars(r) for r in report.refused], indent=2), encoding="utf-8"
            )
        verb = "would be imported" if options["dry_run"] else "imported"
        summary = (
            f"Done: {report.created} {verb}, {report.skipped} already imported, "
            f"{len(report.refused)} refused."
        )
        if report.refused:
            self.stdout.write(self.style.WARNING(summary))
            sys.exit(1)
        self.stdout.write(self.style.SUCCESS(summary))

    def _actor(self, username: str | None) -> Any:
        users = get_user_model().objects.filter(is_active=True)
        actor = (
            users.filter(username=username, is_staff=True).first()
            if username
            else users.filter(is_superuser=True).order_by("pk").first()
        )
        if actor is None:
            raise CommandError(
                f"No active staff user {username!r}."
                if username
                else "No active superuser: create one, or name a staff user with --as."
            )
        return actor
