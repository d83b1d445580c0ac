"""Static files storage: WhiteNoise's compressed, hashed files, without ever failing a page.

Django's manifest storage raises `ValueError` for a file missing from the manifest (or from
`STATIC_ROOT`), so one missing asset turns the whole page that links it into a 500 — with
`DEBUG` off and no `collectstatic`, `/api/docs/` did. Here a missing asset is logged and linked
by its plain name: that link answers 404, the page still renders. `make run` and the container
entry point collect the files, so this is the fallback, not the normal path.
"""

from __future__ import annotations

import logging

from whitenoise.storage import CompressedManifestStaticFilesStorage

logger = logging.getLogger(__name__)


class ForgivingManifestStaticFilesStorage(CompressedManifestStaticFilesStorage):
    manifest_strict = False

    def stored_name(self, name: str) -> str:
        try:
            return str(super().stored_name(name))
        except ValueError as exc:
            logger.warning("static file %r is not collected (%s); run collectstatic", name, exc)
            return name
