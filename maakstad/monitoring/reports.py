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
            "Jaar",
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
                line.year,
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
    _cofinancing_sheets(workbook, programme, context["cofinancing"])
    _school_reports_sheet(workbook, programme)
    _impact_sheets(workbook, programme, today=today)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _cofinancing_sheets(workbook: Workbook, programme: Programme, overview: dict[str, Any]) -> None:
    """Per school year against the requirement, and the ledger per company and category."""
    from maakstad.attendance.ledger import ledger

    rows: list[list[Any]] = [
        [y.school_year, y.hours, y.euros, y.cumulative_euros, y.percent] for y in overview["years"]
    ]
    rows.append(
        ["Totaal", overview["hours"], overview["euros"], overview["euros"], overview["percent"]]
    )
    rows.append(["Vereist", overview["required_hours"], overview["required_euros"], "", 100])
    _sheet(
        workbook,
        "Cofinanciering",
        ["Schooljaar", "Uren", "Euro", "Cumulatief (€)", "% van vereist"],
        rows,
    )
    header, company_rows = ledger(programme.region).rows()
    _sheet(workbook, "Cofinanciering per bedrijf", header, company_rows)


def _school_reports_sheet(workbook: Workbook, programme: Programme) -> None:
    """Every school report, per school and year. Outflow counts under `impact.MIN_GROUP` are left
    out, as everywhere pupils are counted."""
    from maakstad.monitoring.impact import count_or_none
    from maakstad.monitoring.models import SchoolReport

    def small(n: int | None) -> int | None:
        return None if n is None else count_or_none(n)

    reports = (
        SchoolReport.objects.filter(programme=programme)
        .select_related("school", "school_year")
        .order_by("school_year__starts_on", "school__name")
    )
    _sheet(
        workbook,
        "Schoolrapportages",
        [
            "School",
            "Schooljaar",
            "Status",
            "LOB-plan ingediend",
            "Uren techniek per onderbouwleerling",
            "Technische keuzevakken",
            "Ouderavond techniek",
            "Uitstroom mbo",
            "Uitstroom technisch mbo",
            "Meisjes naar technisch mbo",
            "Ingediend op",
            "Beoordeeld op",
        ],
        [
            [
                report.school.name,
                report.school_year.name,
                report.get_status_display(),
                "ja" if report.lob_plan_submitted else "nee",
                report.technology_hours_per_onderbouw_pupil,
                report.technical_keuzevakken_offered,
                "ja" if report.parents_evening_held else "nee",
                small(report.outflow_total),
                small(report.outflow_technical),
                small(report.outflow_technical_girls),
                report.submitted_at.date() if report.submitted_at else None,
                report.reviewed_at.date() if report.reviewed_at else None,
            ]
            for report in reports
        ],
    )


def _impact_sheets(workbook: Workbook, programme: Programme, *, today: dt.date) -> None:
    """The NPRZ indicator and girls per school year, and the cohorts (groups under 5 left out)."""
    from maakstad.monitoring import impact
    from maakstad.monitoring.models import FollowUpStage

    series = impact.outflow_series(programme, Cuts(), today=today)
    rows: list[list[Any]] = [
        [
            year,
            o.total.pupils,
            o.total.technical,
            o.total.percent,
            o.girls_technical,
            impact.NPRZ_BASELINE,
            impact.NPRZ_TARGET,
        ]
        for year, o in series
    ]
    _sheet(
        workbook,
        "Impact",
        [
            "Schooljaar",
            "Uitstroom mbo (leerlingen)",
            "Naar technisch mbo",
            "% technisch (NPRZ)",
            "Meisjes naar technisch mbo",
            "NPRZ nulmeting %",
            "NPRZ doel %",
        ],
        rows,
    )
    cohort_rows: list[list[Any]] = []
    for stage, stage_label in FollowUpStage.choices:
        for cohort in impact.cohorts(programme, stage, Cuts()):
            share = cohort.share
            cohort_rows.append(
                [str(stage_label), cohort.label, share.pupils, share.technical, share.percent]
            )
    _sheet(
        workbook,
        "Impact cohorten",
        ["Moment", "Cohort", "Leerlingen", "Technische keuze", "% technisch"],
        cohort_rows,
    )
