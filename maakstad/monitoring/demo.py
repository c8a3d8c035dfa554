"""Demo step: the programme mid-way — plan imported, most past milestones recorded as achieved,
spending per quarter, and school reports in every state (with parents' evenings)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

from maakstad.core.demo import DemoContext
from maakstad.monitoring import services
from maakstad.monitoring.indicators import is_computed
from maakstad.monitoring.models import Programme, SchoolReport, SchoolReportStatus, Spending
from maakstad.monitoring.plan_io import cofinancing_plan_hours, read_plan
from maakstad.organisations.models import Membership, Organisation, Region, Role, SchoolYear

DATA = Path(__file__).resolve().parent / "data"
# The plan's co-financing table (also `../shared/domain/cofinancing.csv`): 18,560 hours.
COFINANCING_PLAN = Path(__file__).resolve().parents[1] / "attendance" / "cofinancing_plan.csv"
# Milestones without a number that the programme office has not (yet) recorded: believable slips.
STILL_OPEN = {"1.3.1-1", "3.1.2-2", "2.3.3-1"}


def load(ctx: DemoContext) -> None:
    region = Region.objects.filter(slug="techtown").first()
    if region is None:
        ctx.log("monitoring: geen regio TechTown, overgeslagen")
        return
    programme = services.programme_ensure(
        region=region,
        name="Sterk Techniekonderwijs TechTown",
        subsidy_number="STO 24056",
        starts_on=dt.date(2025, 1, 1),
        ends_on=dt.date(2028, 12, 31),
        actor=None,
    )
    services.programme_set_cofinancing_requirement(
        programme=programme,
        required_hours=cofinancing_plan_hours(COFINANCING_PLAN.read_text(encoding="utf-8")),
        actor=None,
    )
    report = read_plan(
        (DATA / "milestones.csv").read_text(encoding="utf-8"),
        (DATA / "budget.csv").read_text(encoding="utf-8"),
    )
    if not programme.milestones.exists():
        services.plan_import(programme=programme, report=report, actor=None)
    _leads(programme, region)
    today = dt.date.today()
    for milestone in programme.milestones.filter(achieved_on__isnull=True):
        # Milestones the platform does not measure are recorded by the programme office.
        if is_computed(milestone):
            continue
        if milestone.target_end < today and milestone.key not in STILL_OPEN:
            milestone.achieved_on = milestone.target_end - dt.timedelta(days=ctx.rng.randint(5, 60))
            milestone.reported_value = milestone.numeric_target
            milestone.save(update_fields=["achieved_on", "reported_value"])
    _spending(ctx, programme)
    _school_reports(ctx, programme, region)
    ctx.log(
        f"monitoring: {programme.milestones.count()} mijlpalen, {programme.spendings.count()} uitgaven"
    )


def _leads(programme: Programme, region: Region) -> None:
    leads = list(
        Membership.objects.filter(organisation__region=region, role=Role.PROJECT_LEAD)
        .select_related("user")
        .order_by("pk")
    )
    if not leads:
        return
    for index, line in enumerate(programme.action_lines.filter(lead__isnull=True)):
        line.lead = leads[index % len(leads)].user
        line.save(update_fields=["lead"])
    # milestones.csv has no owner column: each milestone is the action line's project lead's.
    for line in programme.action_lines.filter(lead__isnull=False):
        line.milestones.filter(responsible__isnull=True).update(responsible=line.lead)


def _spending(ctx: DemoContext, programme: Programme) -> None:
    if programme.spendings.exists():
        return
    quarters = [
        dt.date(2025, 3, 31),
        dt.date(2025, 6, 30),
        dt.date(2025, 9, 30),
        dt.date(2025, 12, 31),
        dt.date(2026, 3, 31),
        dt.date(2026, 6, 30),
        dt.date(2026, 9, 30),
    ]
    spendings = []
    for line in programme.budget_lines.all():
        # Roughly linear burn over the plan's two years, with noise; forecasts for the rest.
        share = Decimal(ctx.rng.uniform(0.035, 0.06))
        for number, day in enumerate(quarters, start=1):
            amount = (line.amount * share).quantize(Decimal("0.01"))
            spendings.append(
                Spending(
                    programme=programme,
                    budget_line=line,
                    spent_on=day,
                    amount=amount,
                    document_reference=f"F{day:%Y%m}-{line.position:03d}-{number}",
                    description=f"Kosten {line.item[:60]} t/m {day:%B %Y}",
                )
            )
        spendings.append(
            Spending(
                programme=programme,
                budget_line=line,
                spent_on=dt.date(2026, 12, 31),
                amount=(line.amount * share * 2).quantize(Decimal("0.01")),
                document_reference=f"PROG-2026Q4-{line.position:03d}",
                description="Prognose Q4 2026",
                is_forecast=True,
            )
        )
    Spending.objects.bulk_create(spendings)


def _school_reports(ctx: DemoContext, programme: Programme, region: Region) -> None:
    year = SchoolYear.for_date(dt.date(2026, 6, 1))  # 2025-2026, the year that was reported on
    if SchoolReport.objects.filter(programme=programme, school_year=year).exists():
        return
    schools = list(
        Organisation.objects.filter(region=region, kind__in=("vmbo", "pro", "vso")).order_by("name")
    )
    states = (
        [SchoolReportStatus.ACCEPTED] * 14
        + [SchoolReportStatus.SUBMITTED] * 6
        + [SchoolReportStatus.RETURNED] * 2
        + [SchoolReportStatus.DRAFT] * 8
    )
    for index, school in enumerate(schools[: len(states)]):
        held = index % 3 != 2
        total = ctx.rng.randint(40, 160)
        technical = int(total * ctx.rng.uniform(0.22, 0.42))
        SchoolReport.objects.create(
            programme=programme,
            school=school,
            school_year=year,
            status=states[index],
            lob_plan_submitted=index % 5 != 4,
            technology_hours_per_onderbouw_pupil=Decimal(ctx.rng.randint(55, 110)),
            technical_keuzevakken_offered=ctx.rng.randint(2, 9),
            parents_evening_held=held,
            parents_evening_on=dt.date(2026, 3, 10) + dt.timedelta(days=index) if held else None,
            pupils_per_profile={
                "PIE": {"girls": ctx.rng.randint(2, 12), "boys": ctx.rng.randint(20, 60)}
            },
            outflow_total=total,
            outflow_technical=technical,
            outflow_technical_girls=int(technical * ctx.rng.uniform(0.08, 0.2)),
            submitted_at=None
            if states[index] == SchoolReportStatus.DRAFT
            else dt.datetime(2026, 7, 1, tzinfo=dt.UTC),
        )
