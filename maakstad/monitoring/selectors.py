"""Reads for the monitoring pages: aggregates computed in the database."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

from django.db.models import Count, DecimalField, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce

from maakstad.monitoring.indicators import (
    REGISTRY,
    Cuts,
    Indicator,
    is_computed,
    milestone_status,
)
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
    computed: bool = True  # False: the programme office records achievement (and the value)


def indicator_value(code: str, programme: Programme, cuts: Cuts | None = None) -> Decimal | None:
    indicator = REGISTRY.get(code)
    return indicator.compute(programme, cuts or Cuts()) if indicator else None


def milestone_rows(
    programme: Programme,
    *,
    today: dt.date,
    action_line: int | None = None,
    values: dict[str, Decimal] | None = None,
) -> list[MilestoneRow]:
    """Milestones with their indicator's (uncut) value and derived status; pass `values` when the
    page has already computed the indicators."""
    from maakstad.monitoring.indicators import MilestoneStatus

    milestones = programme.milestones.select_related("action_line", "responsible").order_by(
        "position"
    )
    if action_line is not None:
        milestones = milestones.filter(action_line__number=action_line)
    known: dict[str, Decimal | None] = dict(values or {})
    rows = []
    for milestone in milestones:
        code = milestone.indicator_code
        computed = is_computed(milestone)
        if computed and code not in known:
            known[code] = indicator_value(code, programme)
        value = known.get(code) if computed else milestone.reported_value
        status = milestone_status(
            milestone, value, today=today, programme_start=programme.starts_on
        )
        progress = None
        if milestone.numeric_target and value is not None:
            progress = min(100, int(value * 100 / milestone.numeric_target))
        rows.append(
            MilestoneRow(
                milestone,
                value,
                status,
                str(MilestoneStatus(status).label),
                progress,
                computed,
            )
        )
    return rows


@dataclass
class CofinancingYear:
    school_year: str
    hours: Decimal
    euros: Decimal
    cumulative_euros: Decimal
    percent: int | None  # cumulative, of the requirement (not capped)


def cofinancing_overview(programme: Programme, *, today: dt.date) -> dict[str, Any]:
    """Realised co-financing (the attendance ledger's hours, × the region's rate) per school year
    against the programme's requirement (`Programme.cofinancing_required_hours`).

    The hours are the `cofinancing_hours` indicator, which equals the ledger's total per year.
    """
    rate = programme.region.cofinancing_rate
    required_hours = programme.cofinancing_required_hours
    required_euros = required_hours * rate
    indicator = REGISTRY["cofinancing_hours"]
    years = []
    cumulative = Decimal(0)
    for year, hours in indicator_series(programme, indicator, Cuts(), today=today):
        euros = hours * rate
        cumulative += euros
        percent = int(cumulative * 100 / required_euros) if required_euros else None
        years.append(CofinancingYear(year, hours, euros, cumulative, percent))
    total_hours = sum((y.hours for y in years), Decimal(0))
    total_euros = total_hours * rate
    percent = int(total_euros * 100 / required_euros) if required_euros else None
    return {
        "rate": rate,
        "required_hours": required_hours,
        "required_euros": required_euros,
        "years": years,
        "hours": total_hours,
        "euros": total_euros,
        "percent": percent,
        "bar": min(100, percent) if percent is not None else 0,
    }


def programme_office_users(programme: Programme) -> QuerySet[Any]:
    """Active users who work for the programme office of the programme's region (write roles)."""
    from django.contrib.auth import get_user_model

    from maakstad.organisations.models import PROGRAMME_WRITE_ROLES

    return (
        get_user_model()
        .objects.filter(
            is_active=True,
            memberships__organisation__region_id=programme.region_id,
            memberships__role__in=PROGRAMME_WRITE_ROLES,
        )
        .distinct()
        .order_by("full_name", "email")
    )


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
    per_activity: dict[str, dict[str, Decimal]] = {}
    for line in lines:
        key = str(line.activity) if line.activity else str(line.action_line or "Programmabreed")
        bucket = per_activity.setdefault(
            key, {"budget": Decimal(0), "spent": Decimal(0), "forecast": Decimal(0)}
        )
        bucket["budget"] += line.amount
        bucket["spent"] += line.spent
        bucket["forecast"] += line.forecast
    per_year: dict[str, dict[str, Decimal]] = {}
    for line in lines:
        key = str(line.year) if line.year else "Hele looptijd"
        bucket = per_year.setdefault(
            key, {"budget": Decimal(0), "spent": Decimal(0), "forecast": Decimal(0)}
        )
        bucket["budget"] += line.amount
        bucket["spent"] += line.spent
        bucket["forecast"] += line.forecast
    quarters: dict[str, Decimal] = defaultdict(Decimal)
    forecast_quarters: dict[str, Decimal] = defaultdict(Decimal)
    for spent_on, amount, is_forecast in Spending.objects.filter(programme=programme).values_list(
        "spent_on", "amount", "is_forecast"
    ):
        quarter = f"{spent_on.year}-Q{(spent_on.month - 1) // 3 + 1}"
        (forecast_quarters if is_forecast else quarters)[quarter] += amount
    return {
        "lines": list(lines),
        "per_action_line": per_line,
        "per_activity": dict(sorted(per_activity.items())),
        # Budget lines by the year they are budgeted for ("Hele looptijd" when the plan has none).
        "per_year": dict(sorted(per_year.items())),
        "totals": totals,
        "per_quarter": dict(sorted(quarters.items())),
        # Spent and forecast side by side per quarter: [(quarter, spent, forecast), ...].
        "quarters": [
            (q, quarters.get(q, Decimal(0)), forecast_quarters.get(q, Decimal(0)))
            for q in sorted(set(quarters) | set(forecast_quarters))
        ],
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


# --- Indicators cut by school year, subregion, school kind and school ----------------------------


@dataclass
class IndicatorRow:
    indicator: Indicator
    value: Decimal


def programme_school_years(programme: Programme, *, today: dt.date) -> list[str]:
    """The school years the programme runs in that have started: "2024-2025", "2025-2026", ..."""
    first = programme.starts_on.year - (programme.starts_on.month < 8)
    last = min(programme.ends_on, today)
    last_start = last.year - (last.month < 8)
    return [f"{year}-{year + 1}" for year in range(first, last_start + 1)]


def region_schools(programme: Programme) -> Any:
    from maakstad.organisations.models import SCHOOL_KINDS, Organisation

    return Organisation.objects.filter(
        region_id=programme.region_id, kind__in=SCHOOL_KINDS
    ).order_by("name")


def indicator_rows(programme: Programme, cuts: Cuts) -> list[IndicatorRow]:
    """Every registered indicator's value under the cuts (one aggregate query or so each)."""
    return [
        IndicatorRow(indicator, indicator.compute(programme, cuts))
        for indicator in REGISTRY.values()
    ]


def indicator_series(
    programme: Programme, indicator: Indicator, cuts: Cuts, *, today: dt.date
) -> list[tuple[str, Decimal]]:
    """The value per school year of the programme (the school-year cut is replaced by each year)."""
    return [
        (year, indicator.compute(programme, replace(cuts, school_year=year)))
        for year in programme_school_years(programme, today=today)
    ]


def indicator_breakdown(
    programme: Programme, indicator: Indicator, cuts: Cuts, dimension: str
) -> list[tuple[str, Decimal]]:
    """The value per subregion or per school kind (the other cuts kept)."""
    from maakstad.organisations.models import VO_KINDS, OrganisationKind, Subregion

    if dimension == "subregion":
        return [
            (str(label), indicator.compute(programme, replace(cuts, subregion=value)))
            for value, label in Subregion.choices
        ]
    kinds = (OrganisationKind.PO, *VO_KINDS)
    return [
        (
            str(OrganisationKind(kind).label),
            indicator.compute(programme, replace(cuts, school_kind=kind)),
        )
        for kind in kinds
    ]


# --- Dashboards per action line and per school -------------------------------------------------

# Which attendance categories are the work of which action line (activity plan §3): LOB activities
# of line 1 (from groep 5), deepening internships and external electives of line 2, electives at
# the mbo for line 3's vmbo-mbo alignment, and everything at companies for line 4. Line 5
# (teachers) has no pupil activity.
ACTION_LINE_CATEGORIES: dict[int, tuple[str, ...]] = {
    1: ("lob",),
    2: ("internship", "elective"),
    3: ("elective",),
    4: ("internship", "lob"),
    5: (),
}


def activity_density(
    programme: Programme,
    *,
    categories: tuple[str, ...] | None = None,
    school_id: int | None = None,
    school_year: str = "",
) -> list[dict[str, Any]]:
    """Pupils present per activity location (one GROUP BY): the points of the density map."""
    from maakstad.attendance.models import Attendance, AttendanceStatus
    from maakstad.monitoring.measures import school_year_bounds

    attendances = Attendance.objects.filter(
        session__region_id=programme.region_id,
        status=AttendanceStatus.PRESENT,
        session__location__latitude__isnull=False,
        session__location__longitude__isnull=False,
    )
    if categories is not None:
        attendances = attendances.filter(session__category__in=categories)
    if school_id is not None:
        attendances = attendances.filter(pupil__school_id=school_id)
    bounds = school_year_bounds(school_year)
    if bounds:
        attendances = attendances.filter(session__starts_at__date__range=bounds)
    rows = (
        attendances.values(
            "session__location__latitude",
            "session__location__longitude",
            "session__location__organisation__name",
        )
        .annotate(n=Count("id"))
        .order_by("-n")
    )
    return [
        {
            "lat": float(row["session__location__latitude"] or 0),
            "lng": float(row["session__location__longitude"] or 0),
            "name": row["session__location__organisation__name"],
            "n": row["n"],
        }
        for row in rows
    ]


def action_line_budget(programme: Programme, number: int) -> dict[str, Any]:
    """Budget, spent and forecast of one action line, and its cumulative spending per quarter."""
    totals = Spending.objects.filter(
        programme=programme, budget_line__action_line__number=number
    ).aggregate(
        spent=Coalesce(Sum("amount", filter=Q(is_forecast=False)), ZERO),
        forecast=Coalesce(Sum("amount", filter=Q(is_forecast=True)), ZERO),
    )
    budget = BudgetLine.objects.filter(programme=programme, action_line__number=number).aggregate(
        total=Coalesce(Sum("amount"), ZERO)
    )["total"]
    quarters: dict[str, Decimal] = defaultdict(Decimal)
    for spent_on, amount in Spending.objects.filter(
        programme=programme, budget_line__action_line__number=number, is_forecast=False
    ).values_list("spent_on", "amount"):
        quarters[f"{spent_on.year}-Q{(spent_on.month - 1) // 3 + 1}"] += amount
    cumulative: list[tuple[str, Decimal]] = []
    running = Decimal(0)
    for quarter, amount in sorted(quarters.items()):
        running += amount
        cumulative.append((quarter, running))
    return {
        "budget": budget,
        "spent": totals["spent"],
        "forecast": totals["forecast"],
        "burn": int(totals["spent"] * 100 / budget) if budget else None,
        "cumulative": cumulative,
    }


def progress_chart(rows: list[MilestoneRow]) -> dict[str, list[Any]]:
    """Numeric milestones: value as a percentage of the target (Chart.js data)."""
    numeric = [row for row in rows if row.milestone.numeric_target]
    return {
        "labels": [f"{row.milestone.code} {row.milestone.description[:40]}" for row in numeric],
        "percent": [
            float(min(Decimal(150), (row.value or 0) * 100 / row.milestone.numeric_target))
            for row in numeric
            if row.milestone.numeric_target
        ],
    }
