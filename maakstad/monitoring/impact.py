"""Impact: what pupils chose after taking part (or not) in the programme's activities.

Sources, per school and school year: the follow-up choices schools enter per pupil
(`FollowUpChoice`), or, where a school entered none for that year, the aggregate figures of its
school report (outflow to mbo, to technical mbo, girls to technical mbo).

Privacy: pupils are minors. Only aggregates of at least `MIN_GROUP` pupils are shown. A group
smaller than that is suppressed entirely; within a shown group, the technical count and share are
suppressed when either the technical or the non-technical part is smaller than `MIN_GROUP` (the
share would reveal it). Everything is counted in the database (no per-pupil rows leave it).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum

from maakstad.monitoring.indicators import Cuts
from maakstad.monitoring.measures import cut_schools
from maakstad.monitoring.models import (
    FollowUpChoice,
    FollowUpStage,
    Gender,
    Programme,
    SchoolReport,
)

MIN_GROUP = 5
NPRZ_BASELINE = Decimal("28.8")  # technical share of mbo outflow at the start (NPRZ), percent
NPRZ_TARGET = Decimal("38.0")
GIRLS_TARGET_INCREASE = Decimal("5")  # percent more girls choosing technical follow-up


@dataclass(frozen=True)
class Share:
    """A group of pupils and how many of them chose technical; None where suppressed."""

    pupils: int | None
    technical: int | None
    percent: Decimal | None

    @property
    def suppressed(self) -> bool:
        return self.pupils is None

    @classmethod
    def of(cls, pupils: int, technical: int) -> Share:
        if pupils < MIN_GROUP:
            return cls(None, None, None)
        if technical < MIN_GROUP or pupils - technical < MIN_GROUP:
            return cls(pupils, None, None)
        return cls(pupils, technical, (Decimal(technical) * 100 / pupils).quantize(Decimal("0.1")))


def count_or_none(n: int) -> int | None:
    return n if n >= MIN_GROUP else None


def _follow_ups(programme: Programme, stage: str, cuts: Cuts) -> QuerySet[FollowUpChoice]:
    choices = FollowUpChoice.objects.filter(programme=programme, stage=stage)
    if cuts.school_year:
        choices = choices.filter(school_year__name=cuts.school_year)
    return cut_schools(choices, cuts, "school")


@dataclass(frozen=True)
class Outflow:
    """Mbo outflow under some cuts: all pupils, and girls to technical mbo."""

    total: Share
    girls_technical: int | None
    girls: (
        Share  # girls' own technical share (per-pupil entries only; aggregates lack girls' total)
    )


def outflow(programme: Programme, cuts: Cuts) -> Outflow:
    """Per-pupil entries where a school has them for that year, its school report otherwise."""
    per_pupil = _follow_ups(programme, FollowUpStage.OUTFLOW, cuts)
    counted = per_pupil.aggregate(
        total=Count("pk"),
        technical=Count("pk", filter=Q(is_technical=True)),
        girls=Count("pk", filter=Q(gender=Gender.GIRL)),
        girls_technical=Count("pk", filter=Q(gender=Gender.GIRL, is_technical=True)),
    )
    reports = SchoolReport.objects.filter(programme=programme, outflow_total__isnull=False)
    if cuts.school_year:
        reports = reports.filter(school_year__name=cuts.school_year)
    reports = cut_schools(reports, cuts, "school").exclude(
        Exists(
            FollowUpChoice.objects.filter(
                stage=FollowUpStage.OUTFLOW,
                school_id=OuterRef("school_id"),
                school_year_id=OuterRef("school_year_id"),
            )
        )
    )
    aggregated = reports.aggregate(
        total=Sum("outflow_total"),
        technical=Sum("outflow_technical"),
        girls_technical=Sum("outflow_technical_girls"),
    )
    total = counted["total"] + (aggregated["total"] or 0)
    technical = counted["technical"] + (aggregated["technical"] or 0)
    girls_technical = counted["girls_technical"] + (aggregated["girls_technical"] or 0)
    return Outflow(
        total=Share.of(total, technical),
        girls_technical=count_or_none(girls_technical),
        girls=Share.of(counted["girls"], counted["girls_technical"]),
    )


def outflow_series(
    programme: Programme, cuts: Cuts, *, today: dt.date
) -> list[tuple[str, Outflow]]:
    from maakstad.monitoring.selectors import programme_school_years

    return [
        (year, outflow(programme, replace(cuts, school_year=year)))
        for year in programme_school_years(programme, today=today)
    ]


def girls_change(series: list[tuple[str, Outflow]]) -> Decimal | None:
    """Percent change in girls choosing technical follow-up from the first to the last year shown."""
    counts = [o.girls_technical for _year, o in series if o.girls_technical is not None]
    if len(counts) < 2 or not counts[0]:
        return None
    return (Decimal(counts[-1] - counts[0]) * 100 / counts[0]).quantize(Decimal("0.1"))


@dataclass(frozen=True)
class Cohort:
    key: str
    label: str
    share: Share


COHORTS: tuple[tuple[str, str], ...] = (
    ("all", "Alle leerlingen met een ingevoerde keuze"),
    ("internship", "Deden een verdiepende stage"),
    ("elective", "Volgden een extern keuzevak"),
    ("attended", "Waren aanwezig bij een activiteit"),
    ("none", "Deden (nog) niets in Maakstad"),
)


def cohorts(programme: Programme, stage: str, cuts: Cuts) -> list[Cohort]:
    """Pupils with a per-pupil follow-up entry, grouped by what they took part in, against the
    share that chose technical. One query: EXISTS per activity, conditional counts."""
    from maakstad.attendance.models import Attendance, AttendanceStatus
    from maakstad.electives.models import Placement, RoundState
    from maakstad.internships.models import Application, Status

    internship = Exists(
        Application.objects.filter(
            pupil_id=OuterRef("pupil_id"), status__in=(Status.CONFIRMED, Status.COMPLETED)
        )
    )
    elective = Exists(
        Placement.objects.filter(pupil_id=OuterRef("pupil_id"), round__state=RoundState.PUBLISHED)
    )
    attended = Exists(
        Attendance.objects.filter(pupil_id=OuterRef("pupil_id"), status=AttendanceStatus.PRESENT)
    )
    groups: dict[str, Any] = {
        "all": Q(),
        "internship": Q(internship),
        "elective": Q(elective),
        "attended": Q(attended),
        "none": ~Q(internship) & ~Q(elective) & ~Q(attended),
    }
    aggregates: dict[str, Any] = {}
    for key, condition in groups.items():
        aggregates[f"{key}_n"] = Count("pk", filter=condition)
        aggregates[f"{key}_t"] = Count("pk", filter=condition & Q(is_technical=True))
    counts = _follow_ups(programme, stage, cuts).aggregate(**aggregates)
    return [
        Cohort(key, label, Share.of(counts[f"{key}_n"], counts[f"{key}_t"]))
        for key, label in COHORTS
    ]
