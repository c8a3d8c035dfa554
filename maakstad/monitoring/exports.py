"""The monitoring reports for `python manage.py export <name> --format json|csv|xlsx|pdf`:
milestones, indicators, budget and schools (co-financing is the attendance app's).

Each takes the region and the command's options (`school_year`, "" for the whole programme).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.management.base import CommandError

from maakstad.core.exports import Report, register
from maakstad.monitoring import selectors
from maakstad.monitoring.indicators import REGISTRY, Cuts
from maakstad.monitoring.models import Programme, SchoolReport
from maakstad.organisations.models import Region

Table = tuple[list[str], list[list[Any]]]


def _programme(region: Region) -> Programme:
    programme = Programme.objects.filter(region=region).first()
    if programme is None:
        raise CommandError(f"Regio '{region.slug}' heeft geen programma (draai import_plan).")
    return programme


def _plain(value: Any) -> Any:
    """JSON/CSV/XLSX-friendly cells: decimals as numbers, dates as ISO text."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _records(header: list[str], rows: list[list[Any]]) -> list[dict[str, Any]]:
    return [dict(zip(header, row, strict=True)) for row in rows]


def _data(name: str, table: Any) -> Any:
    def data(region: Region, school_year: str = "") -> dict[str, Any]:
        header, rows = table(region, school_year)
        return {
            "report": name,
            "region": region.name,
            "school_year": school_year,
            "generated_on": dt.date.today().isoformat(),
            "rows": _records(header, rows),
        }

    return data


# --- milestones -----------------------------------------------------------------------------------


def milestones_table(region: Region, school_year: str = "") -> Table:
    programme = _programme(region)
    rows = selectors.milestone_rows(programme, today=dt.date.today())
    header = [
        "sleutel",
        "code",
        "actielijn",
        "omschrijving",
        "doelkwartaal",
        "streefwaarde",
        "eenheid",
        "indicator",
        "stand",
        "voortgang_pct",
        "behaald_op",
        "status",
    ]
    return header, [
        [
            _plain(v)
            for v in (
                row.milestone.key,
                row.milestone.code,
                row.milestone.action_line.number,
                row.milestone.description,
                row.milestone.target_label,
                row.milestone.numeric_target,
                row.milestone.unit,
                row.milestone.indicator_code,
                row.value,
                row.progress,
                row.milestone.achieved_on,
                row.status_label,
            )
        ]
        for row in rows
    ]


def milestones_pdf(region: Region, school_year: str = "") -> bytes:
    """The quarterly progress report (milestones per action line, money, indicators, charts)."""
    from maakstad.monitoring.reports import quarterly_pdf

    return quarterly_pdf(_programme(region), today=dt.date.today())


# --- indicators -----------------------------------------------------------------------------------


def indicators_table(region: Region, school_year: str = "") -> Table:
    """Each indicator's value (under the school-year option) and its value per school year."""
    programme = _programme(region)
    years = selectors.programme_school_years(programme, today=dt.date.today())
    header = ["code", "indicator", "eenheid", "waarde", *years]
    rows = []
    for indicator in REGISTRY.values():
        series = dict(
            selectors.indicator_series(programme, indicator, Cuts(), today=dt.date.today())
        )
        value = series.get(school_year) if school_year in series else None
        if value is None:
            value = indicator.compute(programme, Cuts(school_year=school_year))
        rows.append(
            [
                indicator.code,
                indicator.name,
                indicator.unit,
                _plain(value),
                *(_plain(series[year]) for year in years),
            ]
        )
    return header, rows


# --- budget ---------------------------------------------------------------------------------------


def budget_table(region: Region, school_year: str = "") -> Table:
    overview = selectors.budget_overview(_programme(region))
    header = [
        "regel",
        "actielijn",
        "activiteit",
        "post",
        "aantal",
        "tarief",
        "bedrag",
        "besteed",
        "prognose",
        "afwijking_aantal_x_tarief",
    ]
    return header, [
        [
            _plain(v)
            for v in (
                line.position,
                line.action_line.number if line.action_line else "",
                line.activity.code if line.activity else "",
                line.item,
                line.quantity,
                line.unit_rate,
                line.amount,
                line.spent,
                line.forecast,
                line.amount_mismatch,
            )
        ]
        for line in overview["lines"]
    ]


# --- schools --------------------------------------------------------------------------------------


def schools_table(region: Region, school_year: str = "") -> Table:
    """Per school: the indicators Maakstad computes for it and its school report (of the school
    year, or the latest). Aggregates per school only: no pupil appears in this report."""
    from maakstad.organisations.models import OrganisationKind

    programme = _programme(region)
    schools = list(selectors.region_schools(programme).exclude(kind=OrganisationKind.MBO))
    per_school = [indicator for indicator in REGISTRY.values() if indicator.per_school]
    reports: dict[int, SchoolReport] = {}
    report_qs = SchoolReport.objects.filter(programme=programme).select_related("school_year")
    if school_year:
        report_qs = report_qs.filter(school_year__name=school_year)
    for entry in report_qs.order_by("school_year__starts_on"):
        reports[entry.school_id] = entry  # the latest wins
    header = [
        "school",
        "soort",
        "deelregio",
        *(indicator.code for indicator in per_school),
        "rapportage_schooljaar",
        "rapportage_status",
        "lob_plan_ingediend",
        "uren_techniek_per_onderbouwleerling",
        "technische_keuzevakken",
        "ouderavond_techniek",
        "uitstroom_mbo",
        "uitstroom_technisch_mbo",
    ]
    rows = []
    for school in schools:
        cuts = Cuts(school_id=school.pk, school_year=school_year)
        report = reports.get(school.pk)
        rows.append(
            [
                school.name,
                school.kind,
                school.subregion,
                *(_plain(indicator.compute(programme, cuts)) for indicator in per_school),
                report.school_year.name if report else "",
                report.get_status_display() if report else "",
                report.lob_plan_submitted if report else None,
                _plain(report.technology_hours_per_onderbouw_pupil) if report else None,
                report.technical_keuzevakken_offered if report else None,
                report.parents_evening_held if report else None,
                report.outflow_total if report else None,
                report.outflow_technical if report else None,
            ]
        )
    return header, rows


register(
    Report(
        "milestones",
        "Mijlpalen met stand en status",
        _data("milestones", milestones_table),
        milestones_table,
        milestones_pdf,
    )
)
register(
    Report(
        "indicators",
        "Indicatoren uit het platform, per schooljaar",
        _data("indicators", indicators_table),
        indicators_table,
    )
)
register(
    Report(
        "budget",
        "Begroting, besteding en prognose per begrotingsregel",
        _data("budget", budget_table),
        budget_table,
    )
)
register(
    Report(
        "schools",
        "Scholen: indicatoren en schoolrapportage",
        _data("schools", schools_table),
        schools_table,
    )
)
