"""Server-side SVG charts: plain strings, no JavaScript, no external asset.

Pure functions of plain data; every label is escaped. Used by the analytics page.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import escape

# One colour per status (colour-blind-safe palette: Okabe-Ito).
STATUS_COLOURS = {
    "confirmed": "#009E73",
    "completed": "#0072B2",
    "in_progress": "#56B4E9",
    "pending": "#E69F00",
    "waitlisted": "#F0E442",
    "cancelled": "#D55E00",
    "declined": "#CC79A7",
    "expired": "#999999",
    "no_show": "#000000",
}


@dataclass(frozen=True)
class Bar:
    label: str
    parts: dict[str, int]  # status -> count


def stacked_bars_svg(
    bars: Sequence[Bar], *, title: str, width: int = 760, height: int = 260
) -> str:
    """Stacked columns (one per period, one colour per status) with a y axis and a legend."""
    left, right, top, bottom = 40, 10, 28, 56
    plot_w, plot_h = width - left - right, height - top - bottom
    peak = max((sum(b.parts.values()) for b in bars), default=0)
    scale_top = max(peak, 1)
    out = [_open(width, height, title)]
    for tick in _ticks(scale_top):
        y = top + plot_h - plot_h * tick / scale_top
        out.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" stroke="#ddd"/>'
        )
        out.append(
            f'<text x="{left - 4}" y="{y + 4:.1f}" text-anchor="end" font-size="10">{tick}</text>'
        )
    slot = plot_w / max(len(bars), 1)
    label_every = max(1, len(bars) // 12)
    for i, bar in enumerate(bars):
        x, y = left + i * slot + slot * 0.15, float(top + plot_h)
        for status, count in bar.parts.items():
            if count <= 0:
                continue
            h = plot_h * count / scale_top
            y -= h
            colour = STATUS_COLOURS.get(status, "#777")
            out.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{slot * 0.7:.1f}" height="{h:.1f}" '
                f'fill="{colour}"><title>{escape(bar.label)}: {count} {escape(status)}</title></rect>'
            )
        if i % label_every == 0:
            out.append(
                f'<text x="{x + slot * 0.35:.1f}" y="{top + plot_h + 14}" text-anchor="middle" '
                f'font-size="10">{escape(bar.label)}</text>'
            )
    used = [s for s in STATUS_COLOURS if any(b.parts.get(s) for b in bars)]
    for i, status in enumerate(used):
        x = left + i * 95
        out.append(
            f'<rect x="{x}" y="{height - 18}" width="10" height="10" fill="{STATUS_COLOURS[status]}"/>'
        )
        out.append(f'<text x="{x + 14}" y="{height - 9}" font-size="11">{escape(status)}</text>')
    if not used:
        out.append(
            f'<text x="{width / 2}" y="{top + plot_h / 2}" text-anchor="middle">No bookings</text>'
        )
    out.append("</svg>")
    return "".join(out)


def ratio_bars_svg(
    rows: Sequence[tuple[str, float | None]], *, title: str, width: int = 760
) -> str:
    """Horizontal bars of ratios (0..1, more shown as overflowing), one row per item."""
    row_h, left, right, top = 24, 180, 60, 28
    height = top + row_h * max(len(rows), 1) + 10
    plot_w = width - left - right
    out = [_open(width, height, title)]
    if not rows:
        out.append(
            f'<text x="{width / 2}" y="{top + 16}" text-anchor="middle">Nothing to show</text>'
        )
    for i, (label, ratio) in enumerate(rows):
        y = top + i * row_h
        out.append(
            f'<text x="{left - 6}" y="{y + 15}" text-anchor="end" font-size="12">{escape(label[:28])}</text>'
        )
        out.append(f'<rect x="{left}" y="{y + 4}" width="{plot_w}" height="14" fill="#eee"/>')
        if ratio is None:
            out.append(f'<text x="{left + 4}" y="{y + 15}" font-size="11">never open</text>')
            continue
        w = plot_w * min(ratio, 1.0)
        colour = "#D55E00" if ratio > 1 else "#0072B2"
        out.append(f'<rect x="{left}" y="{y + 4}" width="{w:.1f}" height="14" fill="{colour}"/>')
        out.append(
            f'<text x="{left + plot_w + 6}" y="{y + 15}" font-size="12">{ratio * 100:.0f}%</text>'
        )
    out.append("</svg>")
    return "".join(out)


def _open(width: int, height: int, title: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="sans-serif"><title>{escape(title)}</title>'
        f'<text x="8" y="18" font-size="14" font-weight="bold">{escape(title)}</text>'
    )


def _ticks(top: int) -> list[int]:
    step = max(1, -(-top // 4))
    return list(range(0, top + 1, step))
