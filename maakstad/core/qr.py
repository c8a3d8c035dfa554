"""QR codes as inline SVG (segno): nothing is requested from elsewhere and the data is in no URL."""

from __future__ import annotations

import io

import segno


def inline_svg(data: str, *, scale: int = 8, title: str | None = None) -> str:
    buffer = io.BytesIO()
    segno.make(data, error="m").save(
        buffer, kind="svg", scale=scale, border=2, xmldecl=False, svgns=True, title=title
    )
    return buffer.getvalue().decode()
