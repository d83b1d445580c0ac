"""QR codes drawn server-side as inline SVG (segno): no script, no image service, offline."""

from __future__ import annotations

import segno
from django.utils.safestring import SafeString, mark_safe


def qr_svg(data: str, *, title: str, scale: int = 6) -> SafeString:
    """An inline `<svg>` of a QR code of `data` (error correction M), titled for screen readers, sized by
    its viewBox (CSS sets the width).
    segno escapes the title and draws only paths, so the markup is safe to embed."""
    code = segno.make(data, error="m", micro=False)
    svg = code.svg_inline(
        scale=scale, border=2, title=title, dark="#111", light="#fff", omitsize=True
    )
    # role="img": read as one picture named by its <title>, not as a group of paths.
    return mark_safe(svg.replace("<svg ", '<svg role="img" ', 1))  # noqa: S308 - segno's output
