"""Compile the pages' .po catalogues into .mo files with polib (no GNU gettext needed)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import polib
from django.core.management.base import BaseCommand

LOCALE = Path(__file__).resolve().parents[2] / "locale"


def catalogues() -> list[Path]:
    return sorted(LOCALE.glob("*/LC_MESSAGES/django.po"))


class Command(BaseCommand):
    help = "Compile tessera/web/locale/*/LC_MESSAGES/django.po into django.mo (polib)."

    def handle(self, *args: Any, **options: Any) -> None:
        for po_path in catalogues():
            catalogue = polib.pofile(str(po_path))
            untranslated = [e.msgid for e in catalogue.untranslated_entries()]
            if untranslated:
                self.stderr.write(
                    f"{po_path}: {len(untranslated)} untranslated: {untranslated[:5]}"
                )
            catalogue.save_as_mofile(str(po_path.with_suffix(".mo")))
            self.stdout.write(f"compiled {po_path.with_suffix('.mo')}")
