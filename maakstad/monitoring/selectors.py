"""Reads for the monitoring pages: aggregates computed in the database."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, DecimalField, Q, Sum, Value
from django.db.models.functions import Coalesce

from maakstad.monitoring.indicators import REGISTRY, Cuts, milestone_status
from maakstad.monitoring.models import (
    BudgetLine,
    Milestone,
    Programme,
    SchoolReport,
    SchoolReportStatus,
    Spending,
)

ZERO = Value(Decimal("0"), output_field=DecimalField(max_digits=14, decimal_places=2))


@dataclass
class MilestoneRow:
    milestone: Milestone
    value: Decimal | None
    status: str
    status_label: str
    progress: int | None  # percent of the numeric target, capped at 100


def indicator_value(code: str, programme: Programme, cuts: Cuts | None = None) -> Decimal | None:
    indicator = REGISTRY.get(code)
    return indicator.compute(programme, cuts or Cuts()) if indicator else None


def milestone_rows(
    programme: Programme, *, today: dt.date, action_line: int | None = None
) -> list[MilestoneRow]:
    from maakstad.monitoring.indicators import MilestoneStatus

    milestones = programme.milestones.select_related("action_line", "responsible").order_by(
        "position"
    )
    if action_line is not None:
        milestones = milestones.filter(action_line__number=action_line)
    values: dict[str, Decimal | None] = {}
    rows = []
    for milestone in milestones:
        code = milestone.indicator_code
        if code and code not in values:
            values[code] = indicator_value(code, programme)
        value = values.get(code) if code else None
        status = milestone_status(
            milestone, value, today=today, programme_start=programme.starts_on
        )
        progress = None
        if milestone.numeric_target and value is not None:
            progress = min(100, int(value * 100 / milestone.numeric_target))
        rows.append(
            MilestoneRow(milestone, value, status, str(MilestoneStatus(status).label), progress)
        )
    return rows


def status_counts(rows: list[MilestoneRow]) -> dict[str, int]:
    counts: dict[str, int] = defaultdict(int)
    for row in rows:
        counts[row.status] += 1
    return dict(counts)


def budget_overview(programme: Programme) -> dict[str, Any]:
    """Budget against spent and forecast, per action line and per quarter."""
    lines = (
        BudgetLine.objects.filter(programme=programme)
        .select_related("action_line", "activity")
        .annotate(
            spent=Coalesce(Sum("spendings__amount", filter=Q(spendings__is_forecast=False)), ZERO),
            forecast=Coalesce(
                Sum("spendings__amount", filter=Q(spendings__is_forecast=True)), ZERO
            ),
        )
        .order_by("position")
    )
    per_line: dict[str, dict[str, Decimal]] = {}
    totals = {"budget": Decimal(0), "spent": Decimal(0), "forecast": Decimal(0)}
    for line in lines:
        key = str(line.action_line) if line.action_line else "Programmabreed"
        bucket = per_line.setdefault(
            key, {"budget": Decimal(0), "spent": Decimal(0), "forecast": Decimal(0)}
        )
        for name, amount in (
            ("budget", line.amount),
            ("spent", line.spent),
            ("forecast", line.forecast),
        ):
            bucket[name] += amount
            totals[name] += amount
    quarters: dict[str, Decimal] = defaultdict(Decimal)
    for spent_on, amount in Spending.objects.filter(
        programme=programme, is_forecast=False
    ).values_list("spent_on", "amount"):
        quarters[f"{spent_on.year}-Q{(spent_on.month - 1) // 3 + 1}"] += amount
    return {
        "lines": list(lines),
        "per_action_line": per_line,
        "totals": totals,
        "per_quarter": dict(sorted(quarters.items())),
        "flagged": [line for line in lines if line.amount_mismatch is not None],
    }


def school_report_overview(programme: Programme, school_year_id: int | None) -> dict[str, Any]:
    reports = SchoolReport.objects.filter(programme=programme).select_related(
        "school", "school_year"
    )
    if school_year_id:
        reports = reports.filter(school_year_id=school_year_id)
    counts = reports.aggregate(
        total=Count("id"),
        submitted=Count("id", filter=Q(status=SchoolReportStatus.SUBMITTED)),
        accepted=Count("id", filter=Q(status=SchoolReportStatus.ACCEPTED)),
    )
    return {"reports": reports.order_by("school__name"), "counts": counts}
