"""The quarterly progress report (PDF) and the controller's workbook (XLSX)."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from typing import Any

from django.template.loader import render_to_string
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from maakstad.monitoring import selectors
from maakstad.monitoring.charts import horizontal_bars
from maakstad.monitoring.indicators import Cuts
from maakstad.monitoring.models import Programme


def quarter_of(day: dt.date) -> str:
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


def report_context(programme: Programme, *, today: dt.date) -> dict[str, Any]:
    indicators = selectors.indicator_rows(programme, Cuts())
    rows = selectors.milestone_rows(
        programme, today=today, values={row.indicator.code: row.value for row in indicators}
    )
    budget = selectors.budget_overview(programme)
    counts = selectors.status_counts(rows)
    lines = list(programme.action_lines.all())
    per_line = {
        line.number: [row for row in rows if row.milestone.action_line_id == line.pk]
        for line in lines
    }
    labels = list(budget["per_action_line"].keys())
    return {
        "programme": programme,
        "today": today,
        "quarter": quarter_of(today),
        "rows": rows,
        "counts": counts,
        "action_lines": [(line, per_line[line.number]) for line in lines],
        "budget": budget,
        "cofinancing": selectors.cofinancing_overview(programme, today=today),
        "indicators": [(row.indicator.name, row.value, row.indicator.unit) for row in indicators],
        "status_chart": horizontal_bars(
            ["Behaald", "Op schema", "Risico", "Te laat"],
            [
                (
                    "Mijlpalen",
                    [counts.get(k, 0) for k in ("achieved", "on_track", "at_risk", "late")],
                )
            ],
        ),
        "budget_chart": horizontal_bars(
            labels,
            [
                ("Begroot (€)", [v["budget"] for v in budget["per_action_line"].values()]),
                ("Besteed (€)", [v["spent"] for v in budget["per_action_line"].values()]),
            ],
        ),
    }


def quarterly_pdf(programme: Programme, *, today: dt.date) -> bytes:
    from weasyprint import HTML

    html = render_to_string("monitoring/report_pdf.html", report_context(programme, today=today))
    return bytes(HTML(string=html).write_pdf())


def _sheet(workbook: Workbook, title: str, header: list[str], rows: list[list[Any]]) -> None:
    sheet = workbook.create_sheet(title)
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([float(v) if isinstance(v, Decimal) else v for v in row])
    for index, name in enumerate(header, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = max(12, min(60, len(name) + 4))
    sheet.freeze_panes = "A2"


def workbook_xlsx(programme: Programme, *, today: dt.date) -> bytes:
    """Every table of the report, one sheet each, for the controller and DUS-I."""
    context = report_context(programme, today=today)
    workbook = Workbook()
    workbook.remove(workbook.active)  # type: ignore[arg-type]
    _sheet(
        workbook,
        "Mijlpalen",
        [
            "Sleutel",
            "Code",
            "Actielijn",
            "Omschrijving",
            "Doelkwartaal",
            "Streefwaarde",
            "Eenheid",
            "Stand",
            "Status",
        ],
        [
            [
                r.milestone.key,
                r.milestone.code,
                r.milestone.action_line.number,
                r.milestone.description,
                r.milestone.target_label,
                r.milestone.numeric_target,
                r.milestone.unit,
                r.value,
                r.status_label,
            ]
            for r in context["rows"]
        ],
    )
    _sheet(
        workbook,
        "Indicatoren",
        ["Indicator", "Waarde", "Eenheid"],
        [[name, value, unit] for name, value, unit in context["indicators"]],
    )
    _sheet(
        workbook,
        "Begroting",
        [
            "Regel",
            "Actielijn",
            "Activiteit",
            "Post",
            "Aantal",
            "Tarief",
            "Bedrag",
            "Besteed",
            "Prognose",
            "Afwijking aantal × tarief",
        ],
        [
            [
                index,
                line.action_line.number if line.action_line else "",
                line.activity.code if line.activity else "",
                line.item,
                line.quantity,
                line.unit_rate,
                line.amount,
                line.spent,
                line.forecast,
                line.amount_mismatch,
            ]
            for index, line in enumerate(context["budget"]["lines"], start=1)
        ],
    )
    _sheet(
        workbook,
        "Besteding per kwartaal",
        ["Kwartaal", "Besteed"],
        [[q, amount] for q, amount in context["budget"]["per_quarter"].items()],
    )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
