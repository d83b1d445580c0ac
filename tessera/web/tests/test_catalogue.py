"""The committed Spanish catalogue is complete and its .mo matches the .po."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import polib

from tessera.web.management.commands.web_compilemessages import catalogues

WEB = Path(__file__).resolve().parents[1]


def test_there_is_a_spanish_catalogue() -> None:
    assert [p.parts[-3] for p in catalogues()] == ["es"]


def test_every_string_is_translated_and_none_is_fuzzy() -> None:
    for po_path in catalogues():
        catalogue = polib.pofile(str(po_path))
        assert catalogue.untranslated_entries() == []
        assert catalogue.fuzzy_entries() == []


def test_the_committed_mo_is_the_compiled_po() -> None:
    """Fails when a .po was edited without `manage.py web_compilemessages` (scripts/messages.sh)."""
    for po_path in catalogues():
        po = {
            (e.msgctxt, e.msgid): (e.msgstr, e.msgstr_plural)
            for e in polib.pofile(str(po_path))
            if not e.obsolete
        }
        mo = {
            (e.msgctxt, e.msgid): (e.msgstr, e.msgstr_plural)
            for e in polib.mofile(str(po_path.with_suffix(".mo")))
        }
        assert mo == po


def test_vendored_files_match_their_recorded_checksums() -> None:
    table = (WEB / "static" / "web" / "vendor" / "VENDOR.md").read_text()
    recorded = dict(re.findall(r"^\| `([\w.-]+\.js)` \|.*\| ([0-9a-f]{64}) \|$", table, re.M))
    files = {
        "htmx-2.0.11.min.js": WEB / "static" / "web" / "vendor" / "htmx-2.0.11.min.js",
        "axe-4.14.1.min.js": WEB / "tests" / "browser" / "vendor" / "axe-4.14.1.min.js",
    }
    assert set(recorded) == set(files)
    for name, path in files.items():
        assert hashlib.sha256(path.read_bytes()).hexdigest() == recorded[name]
