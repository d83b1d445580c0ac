"""Demo settings of the pages: the sites allowed to frame bruno's booking pages (his shop's
site and a local page for trying the embed snippet). Idempotent."""

from __future__ import annotations

from typing import TextIO

from tessera.accounts.models import User

from .models import EmbedSettings

DEMO_ORIGINS = ["https://tessera-cuts.example", "http://localhost:8080"]


def load(out: TextIO) -> None:
    bruno = User.objects.filter(username="bruno").first()
    if bruno is None:
        return
    _, created = EmbedSettings.objects.get_or_create(
        owner=bruno, defaults={"allowed_origins": DEMO_ORIGINS}
    )
    out.write(
        f"  demo embed sites: bruno's pages on {', '.join(DEMO_ORIGINS)} ({int(created)} new)\n"
    )
