"""Reports that `python manage.py export <name> --format json|csv|xlsx|pdf` can write.

Each app registers its reports; a report returns a JSON-able dict and, for tables, a header and
rows (CSV and XLSX); a PDF report returns bytes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Report:
    name: str
    description: str
    # Each is called with the region and the command's options (e.g. school_year="2025-2026").
    data: Callable[..., dict[str, Any]]  # JSON-able dict
    table: Callable[..., tuple[list[str], list[list[Any]]]]  # header, rows (CSV and XLSX)
    pdf: Callable[..., bytes] | None = None


REGISTRY: dict[str, Report] = {}


def register(report: Report) -> None:
    REGISTRY[report.name] = report


def table_pdf(title: str, header: list[str], rows: list[list[Any]], *, subtitle: str = "") -> bytes:
    """A plain A4 (landscape) PDF of one table: the PDF form of a report without its own layout."""
    from django.template.loader import render_to_string
    from weasyprint import HTML

    html = render_to_string(
        "core/export_table.html",
        {"title": title, "subtitle": subtitle, "header": header, "rows": rows},
    )
    return bytes(HTML(string=html).write_pdf())
