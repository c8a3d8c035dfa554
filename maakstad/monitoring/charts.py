"""Small server-side SVG charts for PDF reports (WeasyPrint renders SVG; no JavaScript there)."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

COLOURS = ("#0b5cab", "#c2410c", "#17683a", "#8a5300", "#b42318", "#4f5863")


def horizontal_bars(
    labels: Sequence[str],
    series: Sequence[tuple[str, Sequence[float | Decimal]]],
    *,
    width: int = 640,
    row_height: int = 26,
) -> SafeString:
    """Grouped horizontal bars: one row per label, one bar per series, with a legend."""
    label_width = 220
    plot = width - label_width - 70
    largest = max([float(v) for _name, values in series for v in values] + [1.0])
    bar = max(6, (row_height - 6) // max(1, len(series)))
    height = len(labels) * row_height + 30
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="11">'
    ]
    for row, label in enumerate(labels):
        y = row * row_height
        parts.append(f'<text x="0" y="{y + row_height / 2 + 4}">{escape(label[:38])}</text>')
        for index, (_name, values) in enumerate(series):
            value = float(values[row])
            length = plot * value / largest
            colour = COLOURS[index % len(COLOURS)]
            top = y + 3 + index * bar
            parts.append(
                f'<rect x="{label_width}" y="{top}" width="{length:.1f}" height="{bar - 2}" fill="{colour}"/>'
                f'<text x="{label_width + length + 4:.1f}" y="{top + bar - 3}">{value:,.0f}</text>'
            )
    legend_y = len(labels) * row_height + 18
    for index, (name, _values) in enumerate(series):
        x = label_width + index * 140
        parts.append(
            f'<rect x="{x}" y="{legend_y - 9}" width="10" height="10" fill="{COLOURS[index % len(COLOURS)]}"/>'
            f'<text x="{x + 14}" y="{legend_y}">{escape(name)}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))
